import { existsSync } from "node:fs";
import path from "node:path";
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { routes } from "../../shared/api/routes";
import { errors } from "../../shared/domain/errors";
import { contentSecurityPolicy } from "../../shared/portal/contentSecurityPolicy";
import { loadPortalFiles, type PortalFile } from "../../shared/portal/portalFiles";
import { services } from "../../shared/services";
import { register } from "./register";
import type { HttpHandler } from "./respond";

/** `npm run build` bundles the portal next to the compiled functions: dist/portal/public. */
const portalDir = path.resolve(__dirname, "../../portal/public");

let files: Map<string, PortalFile> | undefined;

function portalFile(name: string): PortalFile | undefined {
  if (files === undefined) {
    if (!existsSync(portalDir)) throw errors.portalNotBuilt();
    files = loadPortalFiles(portalDir);
  }
  return files.get(name);
}

function serve(request: HttpRequest, file: PortalFile, headers: Record<string, string>): HttpResponseInit {
  const common = { etag: file.etag, "x-content-type-options": "nosniff", ...headers };
  if (request.headers.get("if-none-match") === file.etag) return { status: 304, headers: common };
  return { status: 200, body: file.body, headers: { "content-type": file.contentType, ...common } };
}

function signInOrigin(): string | undefined {
  const { auth } = services().config;
  return auth.entra ? `https://${auth.entra.authorityHost}` : undefined;
}

/** GET /: the page, revalidated on every load so a new build shows at once. */
export const getPortalIndex: HttpHandler = async (request) => {
  const index = portalFile("index.html");
  if (index === undefined) throw errors.portalNotBuilt();
  return serve(request, index, {
    "cache-control": "no-cache",
    "content-security-policy": contentSecurityPolicy(signInOrigin()),
    "referrer-policy": "no-referrer",
  });
};

/** GET /assets/{name}: a bundle whose name carries its content hash, so it may be cached for good. */
export const getPortalAsset: HttpHandler = async (request) => {
  const name = request.params.name ?? "";
  const file = /^[A-Za-z0-9_.-]{1,128}$/.test(name) ? portalFile(`assets/${name}`) : undefined;
  if (file === undefined) throw errors.routeNotFound(`/assets/${name.slice(0, 128)}`);
  return serve(request, file, { "cache-control": "public, max-age=31536000, immutable" });
};

register(routes.portalIndex, getPortalIndex);
register(routes.portalAsset, getPortalAsset);

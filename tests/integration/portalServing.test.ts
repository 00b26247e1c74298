// The portal's page and bundles at the site root of the same app, the API still under /api.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startFerry, type RunningFerry } from "../support/ferryApi";

let ferry: RunningFerry;
let entra: RunningFerry;

beforeAll(async () => {
  const storage = inject("storageConnectionString");
  [ferry, entra] = await Promise.all([
    startFerry(storage),
    startFerry(storage, {
      env: {
        FERRY_AUTH_MODE: "entra",
        FERRY_ENTRA_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
        FERRY_ENTRA_AUDIENCE: "api://11111111-2222-3333-4444-555555555555",
      },
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([ferry?.stop(), entra?.stop()]);
});

const get = (origin: string, path: string, headers: Record<string, string> = {}) =>
  fetch(new URL(path, origin), { headers });

describe("the portal, served by the Ferry app", () => {
  it("answers / with its page: HTML, revalidated on each load, under a strict Content-Security-Policy", async () => {
    const page = await get(ferry.host.origin, "/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self';");
    const html = await page.text();
    expect(html).toMatch(/<script type="module" src="\/assets\/main-[A-Z0-9]+\.js"><\/script>/);
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]/); // no inline script
    const again = await get(ferry.host.origin, "/", { "if-none-match": page.headers.get("etag") ?? "" });
    expect(again.status).toBe(304);
  });

  it("serves every bundle the page names with its content type, cached for good under its hashed name", async () => {
    const html = await (await get(ferry.host.origin, "/")).text();
    const assets = [...html.matchAll(/\/assets\/[\w.-]+/g)].map((m) => m[0]);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      const reply = await get(ferry.host.origin, asset);
      expect(reply.status, asset).toBe(200);
      expect(reply.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      const type = reply.headers.get("content-type");
      if (asset.endsWith(".js")) expect(type).toBe("text/javascript; charset=utf-8");
      if (asset.endsWith(".css")) expect(type).toBe("text/css; charset=utf-8");
      if (asset.endsWith(".svg")) expect(type).toBe("image/svg+xml");
    }
  });

  it("answers 404 for a file it does not have, and never reads outside its folder", async () => {
    for (const path of ["/assets/nothing-123.js", "/assets/..%2Fbundle.js", "/assets/%2E%2E%2F%2E%2E%2Fpackage.json"]) {
      const reply = await get(ferry.host.origin, path);
      expect(reply.status, path).toBe(404);
    }
    expect((await get(ferry.host.origin, "/index.html")).status).toBe(404);
  });

  it("leaves the API where it was: /api/health answers, /health does not", async () => {
    expect((await get(ferry.host.origin, "/api/health")).status).toBe(200);
    expect((await get(ferry.host.origin, "/health")).status).toBe(404);
    const doc = (await (await get(ferry.host.origin, "/api/openapi.json")).json()) as {
      servers: unknown;
      paths: Record<string, unknown>;
    };
    expect(doc.servers).toEqual([{ url: "/api" }]);
    expect(Object.keys(doc.paths)).not.toContain("/");
  });
});

describe("signing in to the portal", () => {
  it("tells the portal to ask for an operator key, and who the key is", async () => {
    expect(await (await get(ferry.host.origin, "/api/portal-config")).json()).toEqual({ authMode: "key" });
    expect((await ferry.api.get("/whoami", { authorization: null })).status).toBe(401);
    expect((await ferry.api.get("/whoami", { authorization: "Bearer not-the-key" })).status).toBe(401);
    expect((await ferry.api.get("/whoami")).body).toEqual({ role: "Administrator" });
  });

  it("in Entra ID mode names the app registration and sign-in authority, and the CSP allows that host only", async () => {
    expect(await (await get(entra.host.origin, "/api/portal-config")).json()).toEqual({
      authMode: "entra",
      entra: {
        clientId: "11111111-2222-3333-4444-555555555555",
        authority: "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47",
        scopes: ["api://11111111-2222-3333-4444-555555555555/.default"],
      },
    });
    const csp = (await get(entra.host.origin, "/")).headers.get("content-security-policy") ?? "";
    expect(csp).toContain("connect-src 'self' https://login.microsoftonline.com;");
    expect(csp).toContain("frame-src https://login.microsoftonline.com;");
  });
});

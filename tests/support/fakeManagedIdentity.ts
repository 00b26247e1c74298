// A stand-in for the App Service managed identity endpoint (what IDENTITY_ENDPOINT and
// IDENTITY_HEADER point the Azure SDKs at inside a Function app): it checks the secret header and
// issues one bearer token per resource, so a test can tell the app used its managed identity.
import http from "node:http";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";

export interface FakeManagedIdentity {
  /** The settings a Function app gets from the platform. */
  env: { IDENTITY_ENDPOINT: string; IDENTITY_HEADER: string };
  /** The token issued for `resource` (e.g. Resource Manager's address), once one was asked for. */
  tokenFor(resource: string): string | undefined;
  stop(): Promise<void>;
}

/** `issue`: the token for a resource (default: an opaque one); a test of a Ferry API gives it signed JWTs. */
export async function startFakeManagedIdentity(
  issue: (resource: string) => Promise<string> = async () => `mi-${randomBytes(8).toString("hex")}`,
): Promise<FakeManagedIdentity> {
  const secret = randomBytes(16).toString("hex");
  const tokens = new Map<string, string>();
  const server = http.createServer((req, res) => void answer(req, res));
  async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const resource = url.searchParams.get("resource") ?? "";
    const ok = req.headers["x-identity-header"] === secret && url.searchParams.get("api-version") === "2019-08-01";
    if (!ok || resource === "") {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "invalid_request" }));
      return;
    }
    if (!tokens.has(resource)) tokens.set(resource, await issue(resource));
    const expiresOn = Math.floor(Date.now() / 1000) + 3600;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        access_token: tokens.get(resource),
        expires_on: String(expiresOn),
        resource,
        token_type: "Bearer",
        client_id: "00000000-0000-0000-0000-0000000000aa",
      }),
    );
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    env: { IDENTITY_ENDPOINT: `http://127.0.0.1:${port}/msi/token`, IDENTITY_HEADER: secret },
    tokenFor: (resource) => tokens.get(resource),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

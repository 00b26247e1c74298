// A stand-in for Entra ID's token issuer: an RSA signing key published as a JSON Web Key Set over
// HTTP, the way the tenant's discovery keys endpoint serves it, and tokens signed with it.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";

export interface EntraIssuer {
  tenantId: string;
  clientId: string;
  jwksUrl: string;
  /** Requests the JWKS endpoint served. */
  fetches(): number;
  /** A token as Entra ID issues it for the app; `claims` and `options` change it. */
  token(claims?: JWTPayload, options?: TokenOptions): Promise<string>;
  stop(): Promise<void>;
}

export interface TokenOptions {
  /** Sign with a key the JWKS does not publish, under the published key's id. */
  forged?: boolean;
  /** Seconds from now; negative for a token that has expired. */
  expiresIn?: number;
  issuer?: string;
  audience?: string;
}

export async function startEntraIssuer(tenantId: string, clientId: string): Promise<EntraIssuer> {
  const kid = "test-signing-key";
  const signing = await generateKeyPair("RS256", { extractable: true });
  const stranger = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(signing.publicKey)), kid, use: "sig", alg: "RS256" };
  let fetches = 0;
  const server = http.createServer((req, res) => {
    fetches += 1;
    const body = JSON.stringify({ keys: [jwk] });
    res.writeHead(req.url === "/discovery/v2.0/keys" ? 200 : 404, { "content-type": "application/json" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/discovery/v2.0/keys`;
  return {
    tenantId,
    clientId,
    jwksUrl,
    fetches: () => fetches,
    async token(claims = {}, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ tid: tenantId, oid: "00000000-0000-0000-0000-0000000000aa", ...claims })
        .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
        .setIssuer(options.issuer ?? `https://login.microsoftonline.com/${tenantId}/v2.0`)
        .setAudience(options.audience ?? clientId)
        .setSubject("operator-subject")
        .setIssuedAt(now - 60)
        .setNotBefore(now - 60)
        .setExpirationTime(now + (options.expiresIn ?? 3600))
        .sign(options.forged ? stranger.privateKey : signing.privateKey);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An unsigned token (`alg: none`) with the claims a valid one would carry. */
export function unsignedToken(payload: JWTPayload): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part(payload)}.`;
}

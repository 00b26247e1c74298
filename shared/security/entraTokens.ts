/**
 * Entra ID bearer tokens, validated by the app itself: the signature against the tenant's published
 * keys (fetched once, refetched when a token names a key not seen yet), the issuer (version 2, or
 * version 1 for tokens an older client asked for), the audience (the client id or `api://<client id>`),
 * and expiry and not-before with a small clock tolerance. No header a client sends stands in for it.
 */
import { errors } from "../domain/errors";

type Jose = typeof import("jose", { with: { "resolution-mode": "import" } });

export interface EntraSettings {
  tenantId: string;
  /** The app's client id; `api://<client id>` is accepted too. */
  audience: string;
  /** Where the tenant's signing keys are published (a JSON Web Key Set). */
  jwksUrl: string;
}

export interface EntraIdentity {
  subject: string;
  /** App roles from the token's `roles` claim. */
  roles: string[];
}

/** Clock difference tolerated between Entra ID and this host, in seconds. */
const clockToleranceSeconds = 120;

/** jose's codes for a token that is wrong in itself (anything else is a failure to check it). */
const badTokenCodes = new Set([
  "ERR_JWT_EXPIRED",
  "ERR_JWT_CLAIM_VALIDATION_FAILED",
  "ERR_JWT_INVALID",
  "ERR_JWS_INVALID",
  "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
  "ERR_JOSE_ALG_NOT_ALLOWED",
  "ERR_JOSE_NOT_SUPPORTED",
  "ERR_JWKS_NO_MATCHING_KEY",
  "ERR_JWKS_MULTIPLE_MATCHING_KEYS",
]);

export const entraJwksUrl = (tenantId: string) =>
  `https://login.microsoftonline.com/${encodeURIComponent(tenantId)}/discovery/v2.0/keys`;

function field(error: unknown, name: "code" | "claim"): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const value = (error as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}

/** Why a token was refused, in words that name no part of it. */
function refusal(error: unknown): string {
  const code = field(error, "code");
  if (code === "ERR_JWT_EXPIRED") return "The Entra ID token has expired.";
  if (code === "ERR_JWT_CLAIM_VALIDATION_FAILED")
    return `The Entra ID token's ${field(error, "claim") ?? "claims"} claim is not accepted here.`;
  return "The Entra ID token is not valid (signature, algorithm or form).";
}

export class EntraTokenValidator {
  private keys: ReturnType<Jose["createRemoteJWKSet"]> | undefined;

  constructor(private readonly settings: EntraSettings) {}

  async validate(token: string): Promise<EntraIdentity> {
    // jose is an ES module: imported, not required, and only once Entra mode meets its first token.
    const jose = await import("jose");
    this.keys ??= jose.createRemoteJWKSet(new URL(this.settings.jwksUrl), {
      cacheMaxAge: 60 * 60_000,
      cooldownDuration: 30_000,
      timeoutDuration: 10_000,
    });
    const { tenantId, audience } = this.settings;
    try {
      const { payload } = await jose.jwtVerify(token, this.keys, {
        algorithms: ["RS256"],
        issuer: [`https://login.microsoftonline.com/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`],
        audience: [audience, `api://${audience}`],
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ["exp"],
      });
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r) => typeof r === "string") : [];
      const subject = typeof payload.oid === "string" ? payload.oid : (payload.sub ?? "unknown");
      return { subject, roles };
    } catch (error) {
      if (badTokenCodes.has(field(error, "code") ?? "")) throw errors.unauthorized(refusal(error));
      throw errors.identityProviderUnavailable();
    }
  }
}

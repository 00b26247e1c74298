import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { DefaultAzureCredential } from "@azure/identity";
import type { FerryConfig } from "../config";

/** A fixed bearer token: what the local vault accepts in place of an Entra token. */
function staticCredential(token: string): TokenCredential {
  return { getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
}

/** How the secrets and keys clients reach the vault: the managed identity in Azure, the local token otherwise. */
export function vaultAccess(config: FerryConfig["keyVault"]) {
  const local = config.localToken !== undefined;
  return {
    credential: local ? staticCredential(config.localToken as string) : new DefaultAzureCredential(),
    options: {
      disableChallengeResourceVerification: local,
      tlsOptions: config.caPem ? { ca: config.caPem } : undefined,
      retryOptions: { maxRetries: 3 },
    },
  };
}

export function statusOf(error: unknown): number | undefined {
  return typeof error === "object" && error !== null && "statusCode" in error
    ? Number((error as { statusCode: unknown }).statusCode)
    : undefined;
}

/**
 * Ferry's settings, read from the environment once at the composition root and passed
 * down; nothing below this file reads the environment.
 */
export interface FerryConfig {
  /** A connection string, or (in Azure) the account name reached with the managed identity. */
  storage: { connectionString: string } | { accountName: string };
  keyVault: {
    url: string;
    /** PEM to trust for a local vault's self-signed certificate. */
    caPem?: string;
    /** A local vault's bearer token; absent in Azure, where managed identity is used. */
    localToken?: string;
  };
  auth: {
    mode: "key" | "entra";
    operatorKey?: string;
    entraTenantId?: string;
    entraAudience?: string;
  };
  hubName: string;
  version: string;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`Setting ${name} is required (see README, "Settings").`);
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv): FerryConfig {
  const mode = env.FERRY_AUTH_MODE === "entra" ? "entra" : "key";
  const local = !env.FERRY_KEY_VAULT_URL && env.DEVHOST_KEYVAULT_URL !== undefined;
  return {
    storage: env.AzureWebJobsStorage
      ? { connectionString: env.AzureWebJobsStorage }
      : { accountName: required(env, "AzureWebJobsStorage__accountName") },
    keyVault: local
      ? { url: required(env, "DEVHOST_KEYVAULT_URL"), caPem: env.DEVHOST_KEYVAULT_CA, localToken: env.DEVHOST_KEYVAULT_TOKEN }
      : { url: required(env, "FERRY_KEY_VAULT_URL") },
    auth: {
      mode,
      operatorKey: mode === "key" ? required(env, "FERRY_OPERATOR_KEY") : undefined,
      entraTenantId: env.FERRY_ENTRA_TENANT_ID,
      entraAudience: env.FERRY_ENTRA_AUDIENCE,
    },
    hubName: env.FERRY_HUB_NAME ?? "ferry",
    version: "0.1.0",
  };
}

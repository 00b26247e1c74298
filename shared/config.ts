import { entraJwksUrl } from "./security/entraTokens";

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
    /** The vault key (RSA) that wraps every project's data key. */
    keyEncryptionKey: string;
  };
  auth: {
    mode: "key" | "entra";
    /** The bootstrap key: the administrator (key mode). */
    operatorKey?: string;
    /** How Entra ID tokens are checked (entra mode). */
    entra?: {
      tenantId: string;
      audience: string;
      jwksUrl: string;
      /** The app registration the portal signs operators in to (SPA redirect). */
      clientId?: string;
      /** The Entra ID sign-in host the portal's Content-Security-Policy allows. */
      authorityHost: string;
    };
  };
  hubName: string;
  /**
   * How long a migration waits for the source's shutdown and final changes before failing over
   * from the latest point.
   */
  finalSyncTimeoutSeconds: number;
  version: string;
  dataPath: {
    /**
     * Apply an acknowledged batch to the replica before answering (default). "deferred" leaves
     * it to the next cycle call or the maintenance timer: shorter acks, later points.
     */
    applyInline: boolean;
    /** Overrides the policy's cycle interval (labs, demos and tests); undefined follows the policy. */
    cycleIntervalSeconds?: number;
  };
  /** How often each replicating server's figures are sampled for its metrics (GET .../metrics). */
  metrics: { sampleSeconds: number };
  /** Where failover creates VMs: table rows and VHD blobs only ("local"), or Azure Resource Manager. */
  target:
    | { provider: "local" }
    | { provider: "azure"; subscriptionId: string; storageAccountId: string; armEndpoint?: string };
  /** The network an enabled replication gets when its target names none; each item keeps what it got. */
  targetDefaults: { network?: string; subnet?: string };
  /** Recovery plans' webhooks: when set, the only host names a webhook may call (lower case). */
  webhookAllowedHosts?: readonly string[];
  /** Where Ferry's spans and metrics go (docs/telemetry.md). */
  telemetry: TelemetrySettings;
}

/** FERRY_TELEMETRY: Application Insights, an OTLP/HTTP endpoint, the console, or nowhere. */
export type TelemetrySettings =
  | { mode: "off" }
  | { mode: "azure"; connectionString: string }
  | { mode: "otlp"; endpoint: string; metricIntervalMillis: number; spanDelayMillis: number }
  | { mode: "console"; metricIntervalMillis: number; spanDelayMillis: number };

/** The version Ferry reports (the API's `version`, telemetry's `service.version`). */
export const ferryVersion = "0.1.0";

/** What a deployment in Azure does with a setting: must set it, may set it, or must never set it. */
export type AzureUse = "required" | "optional" | "localOnly";

/**
 * Every setting readConfig reads. A test holds infra/main.bicep to this list: it sets each
 * required one, sets or documents each optional one, and sets no local-only one.
 */
export const settingUses: Readonly<Record<string, AzureUse>> = {
  AzureWebJobsStorage: "localOnly",
  AzureWebJobsStorage__accountName: "required",
  FERRY_KEY_VAULT_URL: "required",
  FERRY_KEY_ENCRYPTION_KEY_NAME: "required",
  DEVHOST_KEYVAULT_URL: "localOnly",
  DEVHOST_KEYVAULT_CA: "localOnly",
  DEVHOST_KEYVAULT_TOKEN: "localOnly",
  FERRY_AUTH_MODE: "required",
  FERRY_OPERATOR_KEY: "localOnly",
  FERRY_ENTRA_TENANT_ID: "required",
  FERRY_ENTRA_AUDIENCE: "required",
  FERRY_ENTRA_JWKS_URL: "optional",
  FERRY_ENTRA_CLIENT_ID: "optional",
  FERRY_ENTRA_AUTHORITY_HOST: "optional",
  FERRY_METRICS_SAMPLE_SECONDS: "optional",
  FERRY_HUB_NAME: "optional",
  FERRY_FINAL_SYNC_TIMEOUT_SECONDS: "optional",
  FERRY_APPLY_MODE: "optional",
  FERRY_CYCLE_INTERVAL_SECONDS: "optional",
  FERRY_TARGET_PROVIDER: "required",
  FERRY_TARGET_SUBSCRIPTION_ID: "required",
  FERRY_TARGET_STORAGE_ACCOUNT_ID: "required",
  FERRY_TARGET_ARM_ENDPOINT: "optional",
  FERRY_TARGET_DEFAULT_NETWORK: "optional",
  FERRY_TARGET_DEFAULT_SUBNET: "optional",
  FERRY_WEBHOOK_ALLOWED_HOSTS: "optional",
  FERRY_TELEMETRY: "optional",
  APPLICATIONINSIGHTS_CONNECTION_STRING: "required",
  OTEL_EXPORTER_OTLP_ENDPOINT: "optional",
  OTEL_METRIC_EXPORT_INTERVAL: "optional",
  OTEL_BSP_SCHEDULE_DELAY: "optional",
};

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`Setting ${name} is required (see README, "Settings").`);
  return value;
}

function readTarget(env: NodeJS.ProcessEnv): FerryConfig["target"] {
  if ((env.FERRY_TARGET_PROVIDER ?? "local") === "local") return { provider: "local" };
  if (env.FERRY_TARGET_PROVIDER !== "azure")
    throw new Error("Setting FERRY_TARGET_PROVIDER must be 'local' or 'azure'.");
  return {
    provider: "azure",
    subscriptionId: required(env, "FERRY_TARGET_SUBSCRIPTION_ID"),
    storageAccountId: required(env, "FERRY_TARGET_STORAGE_ACCOUNT_ID"),
    armEndpoint: env.FERRY_TARGET_ARM_ENDPOINT || undefined,
  };
}

function readEntra(env: NodeJS.ProcessEnv): NonNullable<FerryConfig["auth"]["entra"]> {
  const tenantId = required(env, "FERRY_ENTRA_TENANT_ID");
  return {
    tenantId,
    audience: required(env, "FERRY_ENTRA_AUDIENCE"),
    jwksUrl: env.FERRY_ENTRA_JWKS_URL || entraJwksUrl(tenantId),
    clientId: env.FERRY_ENTRA_CLIENT_ID || clientIdOfAudience(env.FERRY_ENTRA_AUDIENCE),
    authorityHost: env.FERRY_ENTRA_AUTHORITY_HOST || "login.microsoftonline.com",
  };
}

export function readConfig(env: NodeJS.ProcessEnv): FerryConfig {
  const mode = env.FERRY_AUTH_MODE === "entra" ? "entra" : "key";
  const local = !env.FERRY_KEY_VAULT_URL && env.DEVHOST_KEYVAULT_URL !== undefined;
  const keyEncryptionKey = env.FERRY_KEY_ENCRYPTION_KEY_NAME || "ferry-data-kek";
  return {
    storage: env.AzureWebJobsStorage
      ? { connectionString: env.AzureWebJobsStorage }
      : { accountName: required(env, "AzureWebJobsStorage__accountName") },
    keyVault: local
      ? {
          url: required(env, "DEVHOST_KEYVAULT_URL"),
          caPem: env.DEVHOST_KEYVAULT_CA,
          localToken: env.DEVHOST_KEYVAULT_TOKEN,
          keyEncryptionKey,
        }
      : { url: required(env, "FERRY_KEY_VAULT_URL"), keyEncryptionKey },
    auth: {
      mode,
      operatorKey: mode === "key" ? required(env, "FERRY_OPERATOR_KEY") : undefined,
      entra: mode === "entra" ? readEntra(env) : undefined,
    },
    hubName: env.FERRY_HUB_NAME ?? "ferry",
    finalSyncTimeoutSeconds: positiveNumber(env, "FERRY_FINAL_SYNC_TIMEOUT_SECONDS", 900),
    version: ferryVersion,
    dataPath: {
      applyInline: env.FERRY_APPLY_MODE !== "deferred",
      cycleIntervalSeconds: env.FERRY_CYCLE_INTERVAL_SECONDS
        ? positiveNumber(env, "FERRY_CYCLE_INTERVAL_SECONDS", 300)
        : undefined,
    },
    metrics: { sampleSeconds: metricsSampleSeconds(env) },
    target: readTarget(env),
    targetDefaults: {
      network: env.FERRY_TARGET_DEFAULT_NETWORK || undefined,
      subnet: env.FERRY_TARGET_DEFAULT_SUBNET || undefined,
    },
    webhookAllowedHosts: hostList(env.FERRY_WEBHOOK_ALLOWED_HOSTS),
    telemetry: telemetrySettings(env),
  };
}

/** A comma-separated list of host names; unset or empty: no list. */
function hostList(text: string | undefined): string[] | undefined {
  const hosts = (text ?? "")
    .split(",")
    .map((host) => host.trim().toLowerCase())
    .filter((host) => host !== "");
  return hosts.length === 0 ? undefined : hosts;
}

/**
 * FERRY_TELEMETRY (default: "azure" where Application Insights is connected, else "off"). Read on
 * its own too, when the app loads: telemetry starts before any function registers or service exists.
 */
export function telemetrySettings(env: NodeJS.ProcessEnv): TelemetrySettings {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING || undefined;
  const mode = env.FERRY_TELEMETRY || (connectionString ? "azure" : "off");
  // The OpenTelemetry SDK's own defaults: a metric export a minute, spans batched for 5 s.
  const metricIntervalMillis = positiveNumber(env, "OTEL_METRIC_EXPORT_INTERVAL", 60_000);
  const spanDelayMillis = positiveNumber(env, "OTEL_BSP_SCHEDULE_DELAY", 5_000);
  if (mode === "off") return { mode };
  if (mode === "console") return { mode, metricIntervalMillis, spanDelayMillis };
  if (mode === "otlp") {
    const endpoint = (env.OTEL_EXPORTER_OTLP_ENDPOINT || "http://localhost:4318").replace(/\/+$/, "");
    return { mode, endpoint, metricIntervalMillis, spanDelayMillis };
  }
  if (mode !== "azure") throw new Error("Setting FERRY_TELEMETRY must be 'azure', 'otlp', 'console' or 'off'.");
  if (!connectionString)
    throw new Error("Setting APPLICATIONINSIGHTS_CONNECTION_STRING is required when FERRY_TELEMETRY is 'azure'.");
  return { mode, connectionString };
}

/** An audience that is a client id (version 2 tokens), or api://<client id>, names the app registration itself. */
function clientIdOfAudience(audience: string | undefined): string | undefined {
  return /^(?:api:\/\/)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(audience ?? "")?.[1];
}

/** FERRY_METRICS_SAMPLE_SECONDS: a divisor of a minute, or whole minutes that divide an hour; default 60. */
export function metricsSampleSeconds(env: NodeJS.ProcessEnv): number {
  const seconds = positiveNumber(env, "FERRY_METRICS_SAMPLE_SECONDS", 60);
  const fits = seconds < 60 ? 60 % seconds === 0 : seconds % 60 === 0 && 3600 % seconds === 0;
  if (!Number.isInteger(seconds) || !fits)
    throw new Error(
      "Setting FERRY_METRICS_SAMPLE_SECONDS must divide a minute (1-60) or be minutes that divide an hour.",
    );
  return seconds;
}

/**
 * The sampling timer's NCRONTAB schedule. Read when the timer registers, before any service
 * exists: the host needs the schedule at registration.
 */
export function metricsSampleSchedule(env: NodeJS.ProcessEnv): string {
  const seconds = metricsSampleSeconds(env);
  return seconds < 60 ? `*/${seconds} * * * * *` : `0 */${seconds / 60} * * * *`;
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`Setting ${name} must be a positive number, not "${text}".`);
  return value;
}

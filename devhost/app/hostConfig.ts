import fs from "node:fs";
import path from "node:path";
import { isLogLevel } from "../log";
import type { RpcLogLevel } from "../core/contract";

/** What the host takes from `host.json`, with `%Setting%` references resolved. */
export interface HostConfig {
  routePrefix: string;
  maxRequestBodyBytes: number;
  hubName: string;
  maxConcurrentActivityFunctions: number;
  maxConcurrentOrchestratorFunctions: number;
  logLevel: RpcLogLevel;
}

type Json = Record<string, unknown>;

function section(parent: unknown, key: string): Json {
  const value = parent && typeof parent === "object" ? (parent as Json)[key] : undefined;
  return value && typeof value === "object" ? (value as Json) : {};
}

/** `AzureWebJobs.<name>.Disabled` set to true (or 1) keeps the function's trigger from firing, as in Azure. */
export function isDisabled(name: string, env: NodeJS.ProcessEnv): boolean {
  return /^(true|1)$/i.test(env[`AzureWebJobs.${name}.Disabled`]?.trim() ?? "");
}

/** Replaces `%Name%` with the app setting, as the Functions host does in host.json. */
export function resolveSettingRefs(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/%([^%]+)%/g, (_, name: string) => {
    const setting = env[name];
    if (setting === undefined) throw new Error(`host.json refers to app setting "${name}", which is not set.`);
    return setting;
  });
}

export function readHostConfig(appDir: string, env: NodeJS.ProcessEnv): HostConfig {
  const file = path.join(appDir, "host.json");
  if (!fs.existsSync(file)) throw new Error(`No host.json in ${appDir}: not a Functions app folder.`);
  const json = JSON.parse(fs.readFileSync(file, "utf8")) as Json;
  if (json.version !== "2.0") throw new Error(`host.json must have "version": "2.0" (found ${String(json.version)}).`);
  const extensions = section(json, "extensions");
  const http = section(extensions, "http");
  const durable = section(extensions, "durableTask");
  const str = (v: unknown, fallback: string) => (typeof v === "string" ? resolveSettingRefs(v, env) : fallback);
  const num = (v: unknown, fallback: number) => (typeof v === "number" && v > 0 ? v : fallback);
  // As in Azure, an app setting overrides a host.json value: AzureFunctionsJobHost__<path, "__" between names>.
  const level =
    env.AzureFunctionsJobHost__logging__logLevel__default ?? section(section(json, "logging"), "logLevel").default;
  return {
    routePrefix: str(http.routePrefix, "api").replace(/^\/+|\/+$/g, ""),
    maxRequestBodyBytes: num(
      env.FUNCTIONS_REQUEST_BODY_SIZE_LIMIT ? Number(env.FUNCTIONS_REQUEST_BODY_SIZE_LIMIT) : undefined,
      100 * 1024 * 1024,
    ),
    hubName: str(durable.hubName, "TestHubName"),
    maxConcurrentActivityFunctions: num(durable.maxConcurrentActivityFunctions, 16),
    maxConcurrentOrchestratorFunctions: num(durable.maxConcurrentOrchestratorFunctions, 16),
    logLevel: isLogLevel(levelName(level)) ? (levelName(level) as RpcLogLevel) : "information",
  };
}

function levelName(value: unknown): string {
  const map: Record<string, string> = {
    Trace: "trace",
    Debug: "debug",
    Information: "information",
    Warning: "warning",
    Error: "error",
    Critical: "critical",
    None: "none",
  };
  return typeof value === "string" ? (map[value] ?? value) : "information";
}

import fs from "node:fs";
import type http from "node:http";
import path from "node:path";
import { installFunctionsCore } from "../core/install";
import { worker, type RegisteredFunction } from "../core/worker";
import type { WorkerCapabilities } from "../core/contract";
import { readHostConfig, type HostConfig } from "./hostConfig";
import { findFiles } from "./glob";
import { captureServers } from "./serverCapture";

export interface LoadedApp {
  appDir: string;
  config: HostConfig;
  functions: RegisteredFunction[];
  capabilities: WorkerCapabilities;
  /** The library's HTTP-streaming proxy server, when the app enabled streaming and it was seen being made. */
  httpProxy?: http.Server;
}

/** Copies `local.settings.json` Values into the environment where not already set (as Core Tools does). */
export function applyLocalSettings(appDir: string, env: NodeJS.ProcessEnv): void {
  const file = path.join(appDir, "local.settings.json");
  if (!fs.existsSync(file)) return;
  const values = (JSON.parse(fs.readFileSync(file, "utf8")) as { Values?: Record<string, unknown> }).Values ?? {};
  for (const [key, value] of Object.entries(values)) {
    if (env[key] === undefined && value !== undefined && value !== null) env[key] = String(value);
  }
}

/** The app's entry files: `package.json` main, a file or a glob. */
export function entryFiles(appDir: string): string[] {
  const pkgFile = path.join(appDir, "package.json");
  if (!fs.existsSync(pkgFile)) throw new Error(`No package.json in ${appDir}.`);
  const main = (JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: string }).main;
  if (!main) throw new Error(`${pkgFile} has no "main": the host cannot find the app's functions.`);
  const files = /[*?{]/.test(main) ? findFiles(appDir, main) : [path.resolve(appDir, main)];
  const missing = files.filter((f) => !fs.existsSync(f));
  if (files.length === 0 || missing.length > 0) {
    throw new Error(
      `package.json main "${main}" matches no file` +
        `${missing.length ? ` (${missing.join(", ")})` : ""}. Was the app built?`,
    );
  }
  return files;
}

/** Loads a Functions app the way the Node worker does and runs its app start hooks. */
export async function loadApp(appDir: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedApp> {
  const dir = path.resolve(appDir);
  applyLocalSettings(dir, env);
  const config = readHostConfig(dir, env);
  installFunctionsCore();
  // Loading the app's entry files with require is exactly what the Node worker does.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const file of entryFiles(dir)) require(file);
  worker.appStarted = true;
  const model = worker.programmingModel;
  const { value: capabilities, servers } = await captureServers(async () =>
    model?.getCapabilities ? model.getCapabilities({}) : {},
  );
  await worker.runHooks("appStart", { functionAppDirectory: dir, hookData: {}, appHookData: {} });
  const httpProxy = capabilities.HttpUri && servers.length === 1 ? servers[0] : undefined;
  return { appDir: dir, config, functions: [...worker.functions.values()], capabilities, httpProxy };
}

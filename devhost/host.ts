import http from "node:http";
import type { AddressInfo } from "node:net";
import { isDisabled } from "./app/hostConfig";
import { applyLocalSettings, loadApp, type LoadedApp } from "./app/loadApp";
import { Invoker, type InputBindingProvider } from "./core/invoke";
import { worker } from "./core/worker";
import { createDurableExtension, type DurableExtension } from "./durable/extension";
import { hostKeysFrom, type HostKeys } from "./http/keys";
import { RouteTable } from "./http/routeTable";
import { createRequestListener } from "./http/server";
import { log, setLogThreshold } from "./log";
import { TimerScheduler } from "./timers/scheduler";
import { KeyStore } from "./keyvault/keyStore";
import { SecretStore } from "./keyvault/secretStore";
import { startLocalKeyVault, type LocalKeyVault } from "./keyvault/server";
import { checkTriggers, usesDurable } from "./triggers";

export interface HostOptions {
  appDir: string;
  port?: number;
  /** When `port` is taken, listen on one the OS picks instead of failing (the port was a preference). */
  anyPortIfTaken?: boolean;
  /** Interface to listen on; loopback unless said otherwise. */
  listenHost?: string;
  env?: NodeJS.ProcessEnv;
}

export interface RunningHost {
  origin: string;
  port: number;
  keys: HostKeys;
  app: LoadedApp;
  stop(): Promise<void>;
}

function listenOn(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Binding is the only test of a free port that no other process can overtake. */
async function listen(server: http.Server, port: number, host: string, anyIfTaken: boolean): Promise<number> {
  try {
    return await listenOn(server, port, host);
  } catch (error) {
    if (!anyIfTaken || (error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    log("information", "host", `Port ${port} is taken; listening on one the system picks`);
    return listenOn(server, 0, host);
  }
}

/** Loads a Functions app and serves it: HTTP, timers and durable orchestrations. */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const env = options.env ?? process.env;
  applyLocalSettings(options.appDir, env);
  const vault = env.AzureWebJobsStorage ? await startVault(env, env.AzureWebJobsStorage) : undefined;
  const app = await loadApp(options.appDir, env);
  setLogThreshold(app.config.logLevel);
  checkTriggers(app.functions);
  const keys = hostKeysFrom(env);
  const server = http.createServer({ requestTimeout: 0, keepAliveTimeout: 65_000 });
  const listenHost = options.listenHost ?? "127.0.0.1";
  const port = await listen(server, options.port ?? 7071, listenHost, options.anyPortIfTaken ?? false);
  const origin = `http://${listenHost}:${port}`;
  // durable-functions rewrites client URLs to localhost:7071 unless this names the real host.
  env.WEBSITE_HOSTNAME = `${listenHost}:${port}`;
  const providers = new Map<string, InputBindingProvider>();
  const invoker = new Invoker(worker, providers);
  let durable: DurableExtension | undefined;
  if (usesDurable(app.functions)) {
    const storage = env.AzureWebJobsStorage;
    if (!storage) throw new Error("Durable functions need storage: set AzureWebJobsStorage.");
    durable = createDurableExtension({
      connectionString: storage,
      hubName: app.config.hubName,
      invoker,
      functions: app.functions,
      maxConcurrentActivities: app.config.maxConcurrentActivityFunctions,
      maxConcurrentOrchestrations: app.config.maxConcurrentOrchestratorFunctions,
      publicOrigin: origin,
      keys,
    });
    durable.inputProviders.forEach((provide, type) => providers.set(type, provide));
  }
  app.functions.forEach((fn) => invoker.checkBindings(fn));
  const triggered = app.functions.filter((fn) => !isDisabled(fn.metadata.name, env));
  for (const fn of app.functions)
    if (!triggered.includes(fn))
      log(
        "information",
        "host",
        `Function '${fn.metadata.name}' is disabled (AzureWebJobs.${fn.metadata.name}.Disabled).`,
      );
  server.on(
    "request",
    createRequestListener({
      invoker,
      routes: new RouteTable(triggered),
      routePrefix: app.config.routePrefix,
      bodyLimit: app.config.maxRequestBodyBytes,
      keys,
      workerUri: app.capabilities.HttpUri,
      workerProxy: env.DEVHOST_STREAM_OVER_TCP === "true" ? undefined : app.httpProxy,
      systemRoutes: durable?.systemRoutes ?? [],
    }),
  );
  const timers = new TimerScheduler(invoker, triggered, env);
  await durable?.start();
  timers.start();
  log("information", "host", `Host started: ${app.functions.length} functions, listening on ${origin}`);
  return {
    origin,
    port,
    keys,
    app,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await timers.stop();
      await durable?.stop();
      await vault?.stop();
      await worker.runHooks("appTerminate", { hookData: {}, appHookData: {} });
    },
  };
}

/**
 * Starts the local Key Vault and tells the app where it is, before the app loads, through
 * DEVHOST_KEYVAULT_URL, DEVHOST_KEYVAULT_CA (PEM to trust) and DEVHOST_KEYVAULT_TOKEN.
 */
async function startVault(env: NodeJS.ProcessEnv, storage: string): Promise<LocalKeyVault> {
  const vault = await startLocalKeyVault(
    await SecretStore.open(storage, "devhostkeyvault"),
    0,
    await KeyStore.open(storage, "devhostkeyvaultkeys"),
  );
  env.DEVHOST_KEYVAULT_URL = vault.url;
  env.DEVHOST_KEYVAULT_CA = vault.caPem;
  env.DEVHOST_KEYVAULT_TOKEN = vault.token;
  log("information", "host", `Local Key Vault at ${vault.url}`);
  return vault;
}

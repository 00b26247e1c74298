import type { InputBindingProvider, Invoker } from "../core/invoke";
import type { RegisteredFunction } from "../core/worker";
import type { HostKeys } from "../http/keys";
import type { SystemRoute } from "../http/server";
import { log } from "../log";
import { triggerType } from "../triggers";
import { ClientApi } from "./api/clientApi";
import { clientBindingData, type ClientUrls } from "./http/clientBinding";
import type { DurableRoute } from "./http/router";
import { startRpcListener, type RpcListener } from "./http/rpcListener";
import { webhookRoute } from "./http/webhooks";
import type { FunctionCatalog } from "./orchestration/scheduling";
import { startChild } from "./runtime/children";
import { Engine } from "./runtime/engine";
import { resumeAll, resumeInstance, startFallbackScan } from "./runtime/recovery";
import { DurableStore } from "./store/durableStore";
import { acquireHubLease, type HubLease } from "./store/hubLease";

export interface DurableOptions {
  /** Storage that holds instances and history (the app's AzureWebJobsStorage). */
  connectionString: string;
  hubName: string;
  invoker: Invoker;
  functions: RegisteredFunction[];
  maxConcurrentActivities: number;
  maxConcurrentOrchestrations: number;
  /** Origin of the host's public HTTP listener, e.g. http://127.0.0.1:7071. */
  publicOrigin: string;
  keys: HostKeys;
}

/** What the host needs from the durable engine. */
export interface DurableExtension {
  /** Providers for the `durableClient` input binding. */
  inputProviders: ReadonlyMap<string, InputBindingProvider>;
  /** `/runtime/webhooks/durabletask/...` on the public listener. */
  systemRoutes: SystemRoute[];
  start(): Promise<void>;
  /** Stops taking work and waits for what is running; persisted state stays for the next start. */
  stop(): Promise<void>;
}

function catalogOf(functions: RegisteredFunction[]): FunctionCatalog {
  const names = (type: string) =>
    new Set(functions.filter((fn) => triggerType(fn) === type).map((fn) => fn.metadata.name));
  const activities = names("activitytrigger");
  const orchestrators = names("orchestrationtrigger");
  return { isActivity: (name) => activities.has(name), isOrchestrator: (name) => orchestrators.has(name) };
}

// A failed episode (storage unreachable, say) reloads its instance from storage after this pause.
const reloadDelayMs = 1_000;
const fallbackScanMs = 30_000;
// Longer than a lease (15 s), so a host that stopped without releasing it is waited out.
const leaseWaitMs = 20_000;

export function createDurableExtension(options: DurableOptions): DurableExtension {
  const store = DurableStore.create(options.connectionString, options.hubName);
  const catalog = catalogOf(options.functions);
  const engine: Engine = new Engine({
    store,
    invoker: options.invoker,
    catalog,
    maxConcurrentActivities: options.maxConcurrentActivities,
    maxConcurrentOrchestrations: options.maxConcurrentOrchestrations,
    startChild: (parent, created) => startChild(store, engine, parent, created),
    reload: (id) =>
      void setTimeout(
        () =>
          resumeInstance(store, engine, id).catch((e: unknown) =>
            log("error", "durable", `Reloading "${id}" failed: ${String(e)}`),
          ),
        reloadDelayMs,
      ),
  });
  const api = new ClientApi(store, engine, catalog);
  let rpc: RpcListener | undefined;
  let stopScan: (() => void) | undefined;
  let lease: HubLease | undefined;
  const urls = (): ClientUrls => {
    if (!rpc) throw new Error("The durable engine has not started yet.");
    return {
      publicOrigin: options.publicOrigin,
      rpcBaseUrl: rpc.baseUrl,
      hubName: options.hubName,
      systemKey: options.keys.master,
    };
  };
  const route = (): DurableRoute => ({ api, urls: urls() });
  const provideClient: InputBindingProvider = () => ({ json: JSON.stringify(clientBindingData(urls())) });
  return {
    inputProviders: new Map([
      ["durableClient", provideClient],
      ["orchestrationClient", provideClient],
    ]),
    systemRoutes: [webhookRoute(options.keys, route)],
    async start() {
      await store.ensure();
      lease = await acquireHubLease(store.container, options.hubName, leaseWaitMs);
      rpc = await startRpcListener(route);
      const resumed = await resumeAll(store, engine);
      stopScan = startFallbackScan(store, engine, fallbackScanMs);
      log(
        "information",
        "durable",
        `Durable task hub "${options.hubName}" ready (${resumed} unfinished instances resumed).`,
      );
    },
    async stop() {
      stopScan?.();
      await rpc?.close();
      await engine.stop();
      await lease?.release();
    },
  };
}

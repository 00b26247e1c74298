import type { InputBindingProvider, Invoker } from "../core/invoke";
import type { RegisteredFunction } from "../core/worker";
import type { HostKeys } from "../http/keys";
import type { SystemRoute } from "../http/server";

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

export function createDurableExtension(_options: DurableOptions): DurableExtension {
  throw new Error("The durable engine is not built yet.");
}

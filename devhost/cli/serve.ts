import type { EmbeddedAzurite } from "../azurite/embedded";
import { applyLocalSettings } from "../app/loadApp";
import { startHost, type RunningHost } from "../host";
import { ensureStorage } from "./storage";

export interface ServeOptions {
  appDir: string;
  /** Omitted: 7071 when free, else one the OS picks. */
  port?: number;
  /** Folder for the embedded Azurite's data; omitted means in memory. */
  storageLocation?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ServedApp {
  host: RunningHost;
  /** Azurite, when this started it (the app named no storage of its own). */
  azurite?: EmbeddedAzurite;
  /** Stops the host, then Azurite. */
  stop(): Promise<void>;
}

/** An app folder served as `func start` would: its local settings, storage (Azurite if none named) and the host. */
export async function serveApp(options: ServeOptions): Promise<ServedApp> {
  const env = options.env ?? process.env;
  applyLocalSettings(options.appDir, env);
  const azurite = await ensureStorage(env, options.storageLocation);
  // Azurite is a child process: stop it if the app fails to load.
  const host = await startHost({
    appDir: options.appDir,
    port: options.port ?? 7071,
    anyPortIfTaken: options.port === undefined,
    env,
  }).catch(async (error: unknown) => {
    await azurite?.stop();
    throw error;
  });
  const stop = async () => {
    await host.stop();
    await azurite?.stop();
  };
  return { host, azurite, stop };
}

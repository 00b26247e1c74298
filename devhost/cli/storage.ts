import { startAzurite, type AzuriteEndpoints, type EmbeddedAzurite } from "../azurite/embedded";
import { log } from "../log";
import { preferredOrAny } from "./ports";

export type AzuritePorts = Record<keyof AzuriteEndpoints, number>;

/** Azurite's own defaults, which tools and docs assume. */
export const defaultAzuritePorts: AzuritePorts = { blob: 10000, queue: 10001, table: 10002 };

/**
 * Makes sure `AzureWebJobsStorage` names reachable storage: when it is unset or says
 * `UseDevelopmentStorage=true`, starts Azurite (its default ports when free) and points
 * the setting at it.
 */
export async function ensureStorage(
  env: NodeJS.ProcessEnv,
  location: string | undefined,
  preferred: AzuritePorts = defaultAzuritePorts,
): Promise<EmbeddedAzurite | undefined> {
  const setting = env.AzureWebJobsStorage;
  if (setting && !/^UseDevelopmentStorage=true;?$/i.test(setting.trim())) return undefined;
  const azurite = await startOnFreePorts(location, preferred);
  env.AzureWebJobsStorage = azurite.connectionString;
  log(
    "information",
    "host",
    `Azurite started (process ${azurite.process.pid}, ${location ? `data in ${location}` : "in memory"}): ` +
      `blob ${azurite.endpoints.blob}, queue ${azurite.endpoints.queue}, table ${azurite.endpoints.table}`,
  );
  return azurite;
}

/**
 * The preferred ports where free, else ones the OS picks. A port seen free can be taken before
 * Azurite binds it (two hosts starting at once): then Azurite starts again on ports the OS picks.
 */
async function startOnFreePorts(location: string | undefined, preferred: AzuritePorts): Promise<EmbeddedAzurite> {
  const ports = {
    blob: await preferredOrAny(preferred.blob),
    queue: await preferredOrAny(preferred.queue),
    table: await preferredOrAny(preferred.table),
  };
  try {
    return await startAzurite({ location, ports });
  } catch (error) {
    if (!(error instanceof Error && /EADDRINUSE/.test(error.message))) throw error;
    log("information", "host", "Azurite's ports were taken while it started; starting it on free ones");
    return startAzurite({ location, ports: { blob: 0, queue: 0, table: 0 } });
  }
}

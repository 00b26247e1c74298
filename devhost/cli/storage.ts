import { startAzurite, type EmbeddedAzurite } from "../azurite/embedded";
import { log } from "../log";
import { preferredOrAny } from "./ports";

/**
 * Makes sure `AzureWebJobsStorage` names reachable storage: when it is unset or says
 * `UseDevelopmentStorage=true`, starts Azurite (its default ports when free) and points
 * the setting at it.
 */
export async function ensureStorage(
  env: NodeJS.ProcessEnv,
  location: string | undefined,
): Promise<EmbeddedAzurite | undefined> {
  const setting = env.AzureWebJobsStorage;
  if (setting && !/^UseDevelopmentStorage=true;?$/i.test(setting.trim())) return undefined;
  const azurite = await startAzurite({
    location,
    ports: {
      blob: await preferredOrAny(10000),
      queue: await preferredOrAny(10001),
      table: await preferredOrAny(10002),
    },
  });
  env.AzureWebJobsStorage = azurite.connectionString;
  log(
    "information",
    "host",
    `Azurite started (${location ? `data in ${location}` : "in memory"}): blob ${azurite.endpoints.blob}, ` +
      `queue ${azurite.endpoints.queue}, table ${azurite.endpoints.table}`,
  );
  return azurite;
}

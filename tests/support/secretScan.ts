// Looks for secrets where they must never be: table rows, logs, error bodies (DESIGN §6).
import { RestError, TableClient, TableServiceClient } from "@azure/data-tables";

export interface Place {
  where: string;
  text: string;
}

/**
 * The local Key Vault keeps its secrets in this Azurite table: it is the vault, the one place
 * secrets belong, so it is the one table not scanned.
 */
export const localVaultTable = "devhostkeyvault";

/** Every entity of every table in the account, one place per table; the vault's own tables when asked. */
export async function storedTexts(connectionString: string, options: { withVault?: boolean } = {}): Promise<Place[]> {
  const service = TableServiceClient.fromConnectionString(connectionString, { allowInsecureConnection: true });
  const places: Place[] = [];
  for await (const table of service.listTables()) {
    const name = table.name ?? "";
    if (name.toLowerCase() === localVaultTable && options.withVault !== true) continue;
    const client = TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection: true });
    places.push({ where: `table ${name}`, text: await entitiesOf(client) });
  }
  return places;
}

/** All rows as JSON lines; a table another suite dropped meanwhile reads as empty. */
async function entitiesOf(client: TableClient): Promise<string> {
  const rows: string[] = [];
  try {
    for await (const entity of client.listEntities()) rows.push(JSON.stringify(entity));
  } catch (error) {
    if (!(error instanceof RestError && error.statusCode === 404)) throw error;
  }
  return rows.join("\n");
}

/** "<secret name> in <place>" for every secret found anywhere. */
export function findLeaks(places: readonly Place[], secrets: Readonly<Record<string, string>>): string[] {
  return places.flatMap((place) =>
    Object.entries(secrets)
      .filter(([, value]) => place.text.includes(value))
      .map(([name]) => `${name} in ${place.where}`),
  );
}

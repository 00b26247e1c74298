// What storage holds about some resources, to show that a refused request changed nothing.
import { RestError, TableClient, TableServiceClient } from "@azure/data-tables";

/** Row fields that change on reads or by themselves: a key's last use (to the minute), the service's timestamps. */
const volatile = new Set(["timestamp", "etag", "odata.etag", "lastUsedAt"]);

/**
 * Every row of every table that mentions one of `ids` (as a key or in any column), as sorted JSON
 * lines; other suites share the account, so rows about anything else are left out.
 */
export async function rowsMentioning(connectionString: string, ids: readonly string[]): Promise<string[]> {
  const service = TableServiceClient.fromConnectionString(connectionString, { allowInsecureConnection: true });
  const out: string[] = [];
  for await (const table of service.listTables()) {
    const name = table.name ?? "";
    const client = TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection: true });
    try {
      for await (const entity of client.listEntities()) {
        const kept = Object.fromEntries(Object.entries(entity).filter(([field]) => !volatile.has(field)));
        const line = `${name} ${JSON.stringify(kept)}`;
        if (ids.some((id) => line.includes(id))) out.push(line);
      }
    } catch (error) {
      if (!(error instanceof RestError && error.statusCode === 404)) throw error;
    }
  }
  return out.sort();
}

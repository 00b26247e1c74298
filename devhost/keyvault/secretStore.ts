import { randomBytes } from "node:crypto";
import { odata, TableClient, type TableEntityResult } from "@azure/data-tables";

export interface StoredSecret {
  name: string;
  version: string;
  value: string;
  contentType?: string;
  tags: Record<string, string>;
  created: number;
}

interface SecretRow {
  partitionKey: string;
  rowKey: string;
  value?: string;
  contentType?: string;
  tags?: string;
  created?: number;
  deletedDate?: number;
}

const deletedMarker = "deleted";

/** Versions sort newest first: a descending time prefix, then randomness (32 hex like Key Vault's). */
function newVersion(now: number): string {
  return (2 ** 48 - now).toString(16).padStart(12, "0") + randomBytes(10).toString("hex");
}

/** Secrets of the local Key Vault, kept in an Azurite table so they survive restarts. */
export class SecretStore {
  constructor(private readonly table: TableClient) {}

  static async open(connectionString: string, tableName: string): Promise<SecretStore> {
    const table = TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true });
    await table.createTable();
    return new SecretStore(table);
  }

  async set(
    name: string,
    value: string,
    contentType: string | undefined,
    tags: Record<string, string>,
  ): Promise<StoredSecret> {
    const created = Math.floor(Date.now() / 1000);
    const secret: StoredSecret = { name, version: newVersion(Date.now()), value, contentType, tags, created };
    await this.table.createEntity<SecretRow>({
      partitionKey: key(name),
      rowKey: secret.version,
      value,
      contentType,
      tags: JSON.stringify(tags),
      created,
    });
    return secret;
  }

  async get(name: string, version?: string): Promise<StoredSecret | undefined> {
    const rows = await this.rows(name);
    if (rows.some((r) => r.rowKey === deletedMarker)) return undefined;
    const row = rows.find(
      (r) => r.rowKey !== deletedMarker && (version === undefined || version === "" || r.rowKey === version),
    );
    return row ? toSecret(name, row) : undefined;
  }

  async isDeleted(name: string): Promise<number | undefined> {
    const rows = await this.rows(name);
    return rows.find((r) => r.rowKey === deletedMarker)?.deletedDate;
  }

  async versions(name: string): Promise<StoredSecret[]> {
    return (await this.rows(name)).filter((r) => r.rowKey !== deletedMarker).map((r) => toSecret(name, r));
  }

  async names(): Promise<string[]> {
    const live = new Map<string, boolean>();
    for await (const row of this.table.listEntities<SecretRow>()) {
      const name = row.partitionKey;
      live.set(name, (live.get(name) ?? true) && row.rowKey !== deletedMarker);
    }
    return [...live].filter(([, isLive]) => isLive).map(([name]) => name);
  }

  async markDeleted(name: string): Promise<number> {
    const deletedDate = Math.floor(Date.now() / 1000);
    await this.table.upsertEntity<SecretRow>(
      { partitionKey: key(name), rowKey: deletedMarker, deletedDate },
      "Replace",
    );
    return deletedDate;
  }

  async recover(name: string): Promise<void> {
    await this.table.deleteEntity(key(name), deletedMarker);
  }

  async purge(name: string): Promise<void> {
    for (const row of await this.rows(name)) await this.table.deleteEntity(row.partitionKey, row.rowKey);
  }

  private async rows(name: string): Promise<TableEntityResult<SecretRow>[]> {
    const out: TableEntityResult<SecretRow>[] = [];
    const pk = key(name);
    for await (const row of this.table.listEntities<SecretRow>({
      queryOptions: { filter: odata`PartitionKey eq ${pk}` },
    }))
      out.push(row);
    return out.sort((a, b) => (a.rowKey < b.rowKey ? -1 : 1));
  }
}

// Key Vault names are [0-9a-zA-Z-]; lower-case them for the key, since Key Vault names are case-insensitive.
function key(name: string): string {
  return name.toLowerCase();
}

function toSecret(name: string, row: SecretRow & { rowKey: string }): StoredSecret {
  return {
    name,
    version: row.rowKey,
    value: row.value ?? "",
    contentType: row.contentType,
    tags: row.tags ? (JSON.parse(row.tags) as Record<string, string>) : {},
    created: row.created ?? 0,
  };
}

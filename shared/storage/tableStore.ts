import {
  odata,
  RestError,
  type TableClient,
  type TableEntity,
  type TableEntityResult,
  type TransactionAction,
} from "@azure/data-tables";
import { errors } from "../domain/errors";

export interface Versioned<T> {
  value: T;
  etag: string;
}

/** Azure's limits, enforced here because Azurite accepts more than Azure does. */
export const tableLimits = { maxEntityBytes: 1024 * 1024, maxPropertyBytes: 64 * 1024, maxBatch: 100 } as const;

function statusOf(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}

function checkSize(entity: object): void {
  for (const [name, value] of Object.entries(entity)) {
    if (typeof value === "string" && value.length * 2 > tableLimits.maxPropertyBytes) {
      throw new Error(`Table property ${name} is over Azure's 64 KiB limit.`);
    }
  }
  if (JSON.stringify(entity).length * 2 > tableLimits.maxEntityBytes)
    throw new Error("Table entity is over Azure's 1 MiB limit.");
}

/**
 * One table of one kind of row: point reads, inserts that refuse duplicates, and writes
 * guarded by ETags so concurrent writers cannot overwrite each other.
 */
export class TableStore<T extends object> {
  constructor(readonly client: TableClient) {}

  async ensure(): Promise<void> {
    await this.client.createTable();
  }

  async get(partitionKey: string, rowKey: string, abortSignal?: AbortSignal): Promise<Versioned<T> | undefined> {
    try {
      const row = await this.client.getEntity<T>(partitionKey, rowKey, { abortSignal });
      return { value: strip(row), etag: row.etag };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Inserts; a row with the same keys already there is a conflict. */
  async insert(partitionKey: string, rowKey: string, value: T, abortSignal?: AbortSignal): Promise<string> {
    const entity: TableEntity<T> = { ...value, partitionKey, rowKey };
    checkSize(entity);
    try {
      return (await this.client.createEntity(entity, { abortSignal })).etag ?? "";
    } catch (error) {
      if (statusOf(error) === 409) throw errors.alreadyExists("Row", `${partitionKey}/${rowKey}`);
      throw error;
    }
  }

  /** Replaces the row only if it still has `etag`; otherwise a PreconditionFailed error. */
  async replace(
    partitionKey: string,
    rowKey: string,
    value: T,
    etag: string,
    abortSignal?: AbortSignal,
  ): Promise<string> {
    const entity: TableEntity<T> = { ...value, partitionKey, rowKey };
    checkSize(entity);
    try {
      return (await this.client.updateEntity(entity, "Replace", { etag, abortSignal })).etag ?? "";
    } catch (error) {
      if (statusOf(error) === 412) throw errors.preconditionFailed("The row changed since it was read.");
      throw error;
    }
  }

  /**
   * Writes the fields given into an existing row, whatever its ETag (one request, no read): for a
   * field only one writer sets, such as a last-heard time. False when there is no such row.
   */
  async mergeFields(partitionKey: string, rowKey: string, fields: Partial<T>, abortSignal?: AbortSignal) {
    const entity = { ...fields, partitionKey, rowKey } as TableEntity<Partial<T>>;
    checkSize(entity);
    try {
      await this.client.updateEntity(entity, "Merge", { etag: "*", abortSignal });
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  async upsert(partitionKey: string, rowKey: string, value: T, abortSignal?: AbortSignal): Promise<string> {
    const entity: TableEntity<T> = { ...value, partitionKey, rowKey };
    checkSize(entity);
    return (await this.client.upsertEntity(entity, "Replace", { abortSignal })).etag ?? "";
  }

  /**
   * Replaces rows of one partition in one transaction (up to 100), each only if it still has its
   * ETag: all change or none does (a PreconditionFailed error).
   */
  async replaceAll(
    partitionKey: string,
    rows: ReadonlyArray<{ rowKey: string; value: T; etag: string }>,
    abortSignal?: AbortSignal,
  ): Promise<void> {
    if (rows.length > tableLimits.maxBatch) throw new Error("A table transaction holds at most 100 rows.");
    const actions: TransactionAction[] = rows.map(({ rowKey, value, etag }) => {
      const entity: TableEntity<T> = { ...value, partitionKey, rowKey };
      checkSize(entity);
      return ["update", entity, "Replace", { etag }];
    });
    try {
      await this.client.submitTransaction(actions, { abortSignal });
    } catch (error) {
      if (statusOf(error) === 412 || statusOf(error) === 404)
        throw errors.preconditionFailed("A row changed since it was read.");
      throw error;
    }
  }

  /** Deletes; an absent row is fine. */
  async delete(partitionKey: string, rowKey: string, abortSignal?: AbortSignal): Promise<void> {
    try {
      await this.client.deleteEntity(partitionKey, rowKey, { abortSignal });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  /** Deletes only if the row still has `etag`: false when it changed (or is gone). */
  async deleteIfUnchanged(
    partitionKey: string,
    rowKey: string,
    etag: string,
    abortSignal?: AbortSignal,
  ): Promise<boolean> {
    try {
      await this.client.deleteEntity(partitionKey, rowKey, { etag, abortSignal });
      return true;
    } catch (error) {
      if (statusOf(error) === 412 || statusOf(error) === 404) return false;
      throw error;
    }
  }

  /** Keys of the rows whose partition key sorts before `bound`, in key order (a range scan, no table scan). */
  async *keysBefore(bound: string, abortSignal?: AbortSignal): AsyncIterable<{ partitionKey: string; rowKey: string }> {
    const filter = odata`PartitionKey lt ${bound}`;
    const select = ["PartitionKey", "RowKey"];
    for await (const row of this.client.listEntities({ queryOptions: { filter, select }, abortSignal }))
      yield { partitionKey: row.partitionKey ?? "", rowKey: row.rowKey ?? "" };
  }

  /**
   * Deletes rows of one partition, up to Azure's 100 per transaction; a transaction that fails
   * because a row is gone already (another deleter) falls back to one delete per row.
   */
  async deleteMany(partitionKey: string, rowKeys: readonly string[], abortSignal?: AbortSignal): Promise<void> {
    for (let at = 0; at < rowKeys.length; at += tableLimits.maxBatch) {
      const keys = rowKeys.slice(at, at + tableLimits.maxBatch);
      try {
        await this.client.submitTransaction(
          keys.map((rowKey) => ["delete", { partitionKey, rowKey }]),
          { abortSignal },
        );
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
        for (const rowKey of keys) await this.delete(partitionKey, rowKey, abortSignal);
      }
    }
  }

  /** Every row of the table (maintenance passes over a small table). */
  async *all(abortSignal?: AbortSignal): AsyncIterable<Versioned<T> & { partitionKey: string; rowKey: string }> {
    for await (const row of this.client.listEntities<T>({ abortSignal })) {
      yield { value: strip(row), etag: row.etag, partitionKey: row.partitionKey ?? "", rowKey: row.rowKey ?? "" };
    }
  }

  /** Rows of one partition, in row-key order. */
  async *partition(partitionKey: string, abortSignal?: AbortSignal): AsyncIterable<Versioned<T> & { rowKey: string }> {
    const filter = odata`PartitionKey eq ${partitionKey}`;
    for await (const row of this.client.listEntities<T>({ queryOptions: { filter }, abortSignal })) {
      yield { value: strip(row), etag: row.etag, rowKey: row.rowKey ?? "" };
    }
  }

  /** Rows of one partition with `from <= rowKey < before` (either bound may be left open), in row-key order. */
  async *range(
    partitionKey: string,
    bounds: { from?: string; before?: string },
    abortSignal?: AbortSignal,
  ): AsyncIterable<Versioned<T> & { rowKey: string }> {
    let filter = odata`PartitionKey eq ${partitionKey}`;
    if (bounds.from !== undefined) filter += odata` and RowKey ge ${bounds.from}`;
    if (bounds.before !== undefined) filter += odata` and RowKey lt ${bounds.before}`;
    for await (const row of this.client.listEntities<T>({ queryOptions: { filter }, abortSignal })) {
      yield { value: strip(row), etag: row.etag, rowKey: row.rowKey ?? "" };
    }
  }
}

function strip<T extends object>(row: TableEntityResult<T>): T {
  const {
    partitionKey: _p,
    rowKey: _r,
    etag: _e,
    timestamp: _t,
    "odata.metadata": _m,
    ...rest
  } = row as TableEntityResult<T> & { "odata.metadata"?: string };
  return rest as unknown as T;
}

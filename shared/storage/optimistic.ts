import { isFerryError } from "../domain/errors";
import type { TableStore, Versioned } from "./tableStore";

/**
 * Read-modify-write of one row under its ETag, retried when another writer got there first.
 * `change` returns the new row, or undefined to leave the row as it is; after a lost race it runs
 * again on the fresher row, so any storage work it does must be safe to repeat.
 */
export async function updateRow<T extends object>(
  table: TableStore<T>,
  partitionKey: string,
  rowKey: string,
  change: (current: T) => T | undefined | Promise<T | undefined>,
  attempts = 20,
  /** The row as the caller just read it: the first attempt starts from it instead of reading again. */
  read?: Versioned<T>,
): Promise<T | undefined> {
  for (let attempt = 0; ; attempt++) {
    const found = attempt === 0 && read !== undefined ? read : await table.get(partitionKey, rowKey);
    if (!found) return undefined;
    const next = await change(found.value);
    if (next === undefined) return found.value;
    try {
      await table.replace(partitionKey, rowKey, next, found.etag);
      return next;
    } catch (error) {
      const lost = isFerryError(error) && error.code === "PreconditionFailed";
      if (!lost || attempt >= attempts) throw error;
    }
  }
}

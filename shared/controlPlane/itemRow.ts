import type { ItemState, MigrationState, TestMigrateState } from "../domain/itemState";
import type { ItemRow } from "../storage/rows";

/** The parsed columns of an item row (their schemas: storage/columns.ts), and its state as the domain sees it. */
export type { ItemDisk, ItemTarget } from "../storage/columns";

export function itemState(row: ItemRow): ItemState {
  return {
    migrationState: row.migrationState as MigrationState,
    testMigrateState: row.testMigrateState as TestMigrateState,
    replicationPaused: row.replicationPaused,
    resyncRequired: row.resyncRequired,
    resyncInProgress: row.resyncInProgress,
  };
}

export function withState(row: ItemRow, state: ItemState, now: Date): ItemRow {
  return { ...row, ...state, updatedAt: now.toISOString() };
}

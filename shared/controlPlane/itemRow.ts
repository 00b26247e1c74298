import type { ItemState, MigrationState, TestMigrateState } from "../domain/itemState";
import type { ItemRow } from "../storage/rows";

/** The parsed columns of an item row, and its state as the domain's state machine sees it. */
export interface ItemDisk {
  diskId: string;
  sizeBytes: number;
  isBoot: boolean;
  include: boolean;
  diskType: "Standard_LRS" | "StandardSSD_LRS" | "Premium_LRS";
  bytesReplicated: number;
  uploadBytesPerSecond: number;
  /** Source change rate between the last two delta points. */
  churnBytesPerSecond?: number;
  /** bytesReplicated when the last point was made: the baseline of the next churn figure. */
  bytesAtLastPoint?: number;
}

export interface ItemTarget {
  resourceGroup: string;
  network: string;
  subnet: string;
  vmName?: string;
  vmSize: string;
  osDiskId?: string;
  availabilitySet?: string;
  hybridBenefit?: boolean;
}

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

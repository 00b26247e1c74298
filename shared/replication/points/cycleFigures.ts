/**
 * The item after a cycle's point exists: its newest point and RPO, the churn measured since the
 * previous point, and the end of an initial copy or of a resync. Pure over the row, so a resent
 * cycle gives the same row (undefined: nothing to change).
 */
import type { CycleRequest } from "../../api/agentData";
import { itemState, withState, type ItemDisk } from "../../controlPlane/items";
import { churnRate } from "../../domain/churn";
import { initialSeedingCompleted, resyncCompleted } from "../../domain/itemTransitions";
import { columns } from "../../storage/columns";
import type { ItemRow } from "../../storage/rows";

export interface CycleOutcome {
  request: CycleRequest;
  /** This call made the point (not a resend of a cycle recorded before). */
  created: boolean;
  /** Every disk of the point has its snapshot already (none waits for apply). */
  processed: boolean;
  /** The time the point recorded: the agent's sourceTime, held to the server's clock (`domain/pointTime.ts`). */
  time: string;
  now: Date;
}

export function itemAfterCycle(row: ItemRow, cycle: CycleOutcome): ItemRow | undefined {
  const { time } = cycle;
  // Only a newer point moves the item's figures: an old sourceTime never takes them backwards.
  const newer = row.lastRecoveryPointTime === undefined || time > row.lastRecoveryPointTime;
  const seeded = cycle.request.initialCopyComplete === true && row.migrationState === "InitialSeedingInProgress";
  const resynced = completesResync(row, cycle);
  if (!newer && !seeded && !resynced) return undefined;
  let next = newer ? withNewestPoint(row, time, cycle.now) : row;
  if (newer && cycle.processed) next = { ...next, lastProcessedPointTime: time };
  if (seeded) {
    const moved = initialSeedingCompleted(itemState(next));
    if (moved.ok) next = { ...withState(next, moved.value, cycle.now), initialSeedingProgress: 100 };
  }
  if (resynced) {
    const done = resyncCompleted(itemState(next));
    if (done.ok) next = withResyncDone(withState(next, done.value, cycle.now));
  }
  return { ...next, updatedAt: cycle.now.toISOString() };
}

/**
 * The agent re-reads every disk in a resync and reports it like an initial copy. Only the
 * running resync's own re-read ends it: a cycle naming another resync, or a resent cycle from
 * before it began, completes nothing (never a silent gap).
 */
function completesResync(row: ItemRow, cycle: CycleOutcome): boolean {
  if (cycle.request.initialCopyComplete !== true || !row.resyncInProgress) return false;
  const named = cycle.request.resyncId;
  return named === undefined ? cycle.created : named === row.resyncStartedAt;
}

function withNewestPoint(row: ItemRow, time: string, now: Date): ItemRow {
  const rpoSeconds = Math.max(0, Math.floor((now.getTime() - Date.parse(time)) / 1000));
  return {
    ...row,
    disks: columns.itemDisks.serialize(disksWithChurn(row, time)),
    lastRecoveryPointTime: time,
    rpoSeconds,
  };
}

/** Churn is measured between two delta points only: copy traffic (seeding, resync) is not the source changing. */
function disksWithChurn(row: ItemRow, time: string): ItemDisk[] {
  const disks = columns.itemDisks.parse(row.disks);
  const previous = row.lastRecoveryPointTime;
  const delta = row.migrationState === "Replicating" && !row.resyncInProgress && previous !== undefined;
  return disks.map((disk) => {
    const rate =
      delta && disk.bytesAtLastPoint !== undefined
        ? churnRate(disk.bytesReplicated - disk.bytesAtLastPoint, new Date(previous), new Date(time))
        : undefined;
    return {
      ...disk,
      bytesAtLastPoint: disk.bytesReplicated,
      ...(rate === undefined ? {} : { churnBytesPerSecond: rate }),
    };
  });
}

/** A completed resync: neither its id nor the reason stays on the item. */
function withResyncDone(row: ItemRow): ItemRow {
  const { resyncStartedAt: _id, resyncReason: _reason, ...rest } = row;
  return rest;
}

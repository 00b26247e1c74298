/**
 * A disk's cursor row: which batches are acknowledged, which applied, and the staged blobs in
 * between. Every change is a read-modify-write under the row's ETag.
 */
import { errors } from "../domain/errors";
import { isFerryError } from "../domain/errors";
import { updateRow } from "../storage/optimistic";
import type { DiskCursorRow } from "../storage/rows";
import type { DataPathDeps } from "./deps";

/** The answer a sequence got, kept so a resent batch gets it again. `body` is the signed body digest. */
export interface AckEntry {
  s: number;
  sha: string;
  body: string;
}

/** An acknowledged batch waiting to be applied: its staged blob's name and the bytes it covers. */
export interface PendingEntry {
  s: number;
  blob: string;
  covered: number;
}

/** A recovery point cut at batch `s` before the batch was applied (see `pointMarks.ts`). */
export interface PointMark {
  /** The batch sequence the point holds. */
  s: number;
  point: string;
  /**
   * When the mark was made, its snapshot taken, or a resent cycle found it (ISO 8601): a resolved
   * mark whose point never appears is dropped 15 minutes after.
   */
  at: string;
  /** Set once apply took it, while the point row is not there yet. */
  snapshot?: string;
}

export const marksOf = (row: DiskCursorRow): PointMark[] => JSON.parse(row.marks ?? "[]") as PointMark[];
export const withMarks = (row: DiskCursorRow, marks: PointMark[]): DiskCursorRow => ({
  ...row,
  marks: JSON.stringify(marks),
});

export const KEPT_ACKS = 64;
/** Acknowledged-but-unapplied batches per disk before new ones are refused with 429. */
export const MAX_PENDING = 16;

export const acksOf = (row: DiskCursorRow) => JSON.parse(row.acks) as AckEntry[];
export const pendingOf = (row: DiskCursorRow) => JSON.parse(row.pending) as PendingEntry[];

function freshCursor(projectId: string, epoch: number, now: Date, initialCopyComplete = false): DiskCursorRow {
  return {
    projectId,
    epoch,
    nextSequence: 1,
    appliedSequence: 0,
    acks: "[]",
    pending: "[]",
    initialCopyComplete,
    replicaReady: false,
    updatedAt: now.toISOString(),
  };
}

/** The cursor for the item's epoch: created on first use, restarted at sequence 1 when the epoch moved on. */
export async function openCursor(
  deps: DataPathDeps,
  projectId: string,
  itemId: string,
  diskId: string,
  epoch: number,
): Promise<DiskCursorRow> {
  const found = await deps.stores.diskCursors.get(itemId, diskId);
  if (found && found.value.epoch >= epoch) return found.value;
  if (!found) {
    try {
      await deps.stores.diskCursors.insert(itemId, diskId, freshCursor(projectId, epoch, deps.now()));
    } catch (error) {
      if (!isFerryError(error) || error.code !== "AlreadyExists") throw error;
    }
    return openCursor(deps, projectId, itemId, diskId, epoch);
  }
  // A new epoch restarts the sequence; staged blobs of the old one become orphans to sweep.
  // (Nothing moves an item to a new epoch today: a resync re-reads within its epoch.)
  const restarted = await changeCursor(deps, itemId, diskId, (row) => {
    if (row.epoch >= epoch) return undefined;
    if (marksOf(row).length > 0)
      throw new Error(
        `Disk ${diskId} of ${itemId} has recovery points waiting for apply in epoch ${row.epoch}; it cannot restart.`,
      );
    return { ...freshCursor(projectId, epoch, deps.now(), row.initialCopyComplete), replicaReady: row.replicaReady };
  });
  return restarted;
}

export async function changeCursor(
  deps: DataPathDeps,
  itemId: string,
  diskId: string,
  change: (row: DiskCursorRow) => DiskCursorRow | undefined | Promise<DiskCursorRow | undefined>,
): Promise<DiskCursorRow> {
  const updated = await updateRow(deps.stores.diskCursors, itemId, diskId, change);
  if (!updated) throw errors.notFound("Disk", diskId);
  return updated;
}

/**
 * The row after acknowledging `entry`: the next sequence moves on, the ack is remembered, the
 * batch waits to be applied.
 */
export function withAck(row: DiskCursorRow, ack: AckEntry, pending: PendingEntry, now: Date): DiskCursorRow {
  return {
    ...row,
    nextSequence: ack.s + 1,
    acks: JSON.stringify([...acksOf(row), ack].slice(-KEPT_ACKS)),
    pending: JSON.stringify([...pendingOf(row), pending]),
    updatedAt: now.toISOString(),
  };
}

/** The row after acknowledging `ack` whose bytes are on the replica already (a seed batch written directly). */
export function withAppliedAck(row: DiskCursorRow, ack: AckEntry, now: Date): DiskCursorRow {
  return {
    ...row,
    nextSequence: ack.s + 1,
    appliedSequence: ack.s,
    acks: JSON.stringify([...acksOf(row), ack].slice(-KEPT_ACKS)),
    updatedAt: now.toISOString(),
  };
}

/** The row after applying batch `s` to the replica. */
export function withApplied(row: DiskCursorRow, s: number, now: Date): DiskCursorRow {
  return {
    ...row,
    appliedSequence: s,
    pending: JSON.stringify(pendingOf(row).filter((p) => p.s > s)),
    updatedAt: now.toISOString(),
  };
}

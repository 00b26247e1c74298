/**
 * A disk's cursor row: which batches are acknowledged (`acknowledge`, the one ack writer), which
 * applied, the staged blobs in between, and the marks of points cut ahead of apply. Every change
 * is a read-modify-write under the row's ETag.
 */
import type { BatchAck } from "../../api/agentData";
import { errors, isFerryError } from "../../domain/errors";
import { columns, type AckEntry, type PendingEntry, type PointMark } from "../../storage/columns";
import { updateRow } from "../../storage/optimistic";
import type { DiskCursorRow } from "../../storage/rows";
import type { DiskTarget } from "./agentItems";
import { projectContainer } from "./blobNames";
import type { DataPathDeps } from "./deps";

export type { AckEntry, PendingEntry, PointMark } from "../../storage/columns";

export const marksOf = (row: DiskCursorRow): PointMark[] =>
  row.marks === undefined ? [] : columns.cursorMarks.parse(row.marks);
export const withMarks = (row: DiskCursorRow, marks: PointMark[]): DiskCursorRow => ({
  ...row,
  marks: columns.cursorMarks.serialize(marks),
});

export const KEPT_ACKS = 64;
/** Acknowledged-but-unapplied batches per disk before new ones are refused with 429. */
export const MAX_PENDING = 16;

export const acksOf = (row: DiskCursorRow): AckEntry[] => columns.cursorAcks.parse(row.acks);
export const pendingOf = (row: DiskCursorRow): PendingEntry[] => columns.cursorPending.parse(row.pending);

/**
 * Where acknowledged data ends on the disk: no acknowledged batch has an extent past it. A row
 * kept from before the frontier was recorded knows none once anything was acknowledged, so then
 * the whole disk counts as acknowledged.
 */
export const ackedEndOf = (row: DiskCursorRow): number =>
  row.ackedEnd !== undefined ? Number(row.ackedEnd) : row.nextSequence > 1 ? Number.MAX_SAFE_INTEGER : 0;

function freshCursor(projectId: string, epoch: number, now: Date, initialCopyComplete = false): DiskCursorRow {
  return {
    projectId,
    epoch,
    nextSequence: 1,
    appliedSequence: 0,
    acks: columns.cursorAcks.serialize([]),
    pending: columns.cursorPending.serialize([]),
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
    // The replica keeps the old epoch's bytes, so what was acknowledged stays acknowledged.
    return {
      ...freshCursor(projectId, epoch, deps.now(), row.initialCopyComplete),
      replicaReady: row.replicaReady,
      ackedEnd: String(ackedEndOf(row)),
    };
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

/** A batch to acknowledge: staged in the cache (waiting for apply), or on the replica already (a seed batch). */
export interface Acknowledgement {
  sequence: number;
  /** The batch's SHA-256 (its trailer): what the agent is answered. */
  sha256: string;
  /** The signed body digest (hex, lower case), kept to tell a resend from a different batch. */
  signedSha256: string;
  /** Where the batch's last extent ends (its summary's `endOffset`). */
  endOffset: number;
  /** A staged batch: its blob and the bytes it covers. Absent: the batch is applied already. */
  staged?: { blob: string; covered: number };
}

/**
 * The answer for a sequence already acknowledged, or the refusal of one that is not next;
 * undefined for the next sequence.
 */
export function knownAnswer(
  cursor: DiskCursorRow,
  batch: { sequence: number; signedSha256: string },
): BatchAck | undefined {
  if (batch.sequence > cursor.nextSequence) throw errors.sequenceGap(cursor.nextSequence);
  if (batch.sequence === cursor.nextSequence) return undefined;
  const ack = acksOf(cursor).find((a) => a.s === batch.sequence);
  // Older than the kept acks: the agent is far behind what it was told; it must ask again.
  if (!ack) throw errors.sequenceGap(cursor.nextSequence);
  if (ack.body !== batch.signedSha256.toLowerCase()) throw errors.batchConflict(batch.sequence);
  return { sequence: ack.s, sha256: ack.sha, duplicate: true };
}

/**
 * Writes a batch's ack on the cursor — the one place acks are written. A staged batch then
 * waits to be applied; an applied one is acknowledged only right after the last applied batch.
 * If a concurrent resend won, answers as the winner was answered and drops this staged copy.
 */
export async function acknowledge(deps: DataPathDeps, target: DiskTarget, batch: Acknowledgement): Promise<BatchAck> {
  const entry: AckEntry = { s: batch.sequence, sha: batch.sha256, body: batch.signedSha256 };
  const pending = batch.staged && { s: batch.sequence, ...batch.staged };
  let won = false;
  const row = await changeCursor(deps, target.itemId, target.diskId, (current) => {
    if (current.epoch !== target.epoch) throw errors.epochMismatch(current.epoch);
    won =
      current.nextSequence === batch.sequence &&
      (pending !== undefined || current.appliedSequence === batch.sequence - 1);
    return won ? withAck(current, { entry, end: batch.endOffset }, pending, deps.now()) : undefined;
  });
  const answer = { sequence: batch.sequence, sha256: batch.sha256, duplicate: false };
  if (won) return answer;
  // Our own write landed and its answer was lost (storage's resend then lost the ETag race to it): keep the blob.
  if (pending && pendingOf(row).some((p) => p.s === pending.s && p.blob === pending.blob)) return answer;
  if (pending) await deps.cache.delete({ container: projectContainer(target.projectId), name: pending.blob });
  return knownAnswer(row, batch) ?? { ...answer, duplicate: true };
}

/**
 * The row after acknowledging `ack`: the next sequence moves on, the answer is kept, and the
 * batch waits to be applied (`pending`) or counts as applied (a seed batch written directly).
 */
function withAck(
  row: DiskCursorRow,
  { entry, end }: { entry: AckEntry; end: number },
  pending: PendingEntry | undefined,
  now: Date,
): DiskCursorRow {
  return {
    ...row,
    nextSequence: entry.s + 1,
    acks: columns.cursorAcks.serialize([...acksOf(row), entry].slice(-KEPT_ACKS)),
    ackedEnd: String(Math.max(ackedEndOf(row), end)),
    ...(pending
      ? { pending: columns.cursorPending.serialize([...pendingOf(row), { ...pending, at: now.toISOString() }]) }
      : { appliedSequence: entry.s }),
    updatedAt: now.toISOString(),
  };
}

/** The row after applying batch `s` to the replica. */
export function withApplied(row: DiskCursorRow, s: number, now: Date): DiskCursorRow {
  return {
    ...row,
    appliedSequence: s,
    pending: columns.cursorPending.serialize(pendingOf(row).filter((p) => p.s > s)),
    updatedAt: now.toISOString(),
  };
}

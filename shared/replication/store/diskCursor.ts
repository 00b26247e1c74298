/**
 * A disk's cursor row: which batches are acknowledged (`acknowledge`, the one ack writer), which
 * applied, the staged blobs in between, and the marks of points cut ahead of apply. Every change
 * is a read-modify-write under the row's ETag.
 */
import type { BatchAck } from "../../api/agentData";
import { errors, isFerryError } from "../../domain/errors";
import { updateRow } from "../../storage/optimistic";
import type { DiskCursorRow } from "../../storage/rows";
import type { DiskTarget } from "./agentItems";
import { projectContainer } from "./blobNames";
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

/** A recovery point cut at batch `s` before the batch was applied (see `points/pointMarks.ts`). */
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

/** A batch to acknowledge: staged in the cache (waiting for apply), or on the replica already (a seed batch). */
export interface Acknowledgement {
  sequence: number;
  /** The batch's SHA-256 (its trailer): what the agent is answered. */
  sha256: string;
  /** The signed body digest (hex, lower case), kept to tell a resend from a different batch. */
  signedSha256: string;
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
    return won ? withAck(current, entry, pending, deps.now()) : undefined;
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
function withAck(row: DiskCursorRow, ack: AckEntry, pending: PendingEntry | undefined, now: Date): DiskCursorRow {
  return {
    ...row,
    nextSequence: ack.s + 1,
    acks: JSON.stringify([...acksOf(row), ack].slice(-KEPT_ACKS)),
    ...(pending ? { pending: JSON.stringify([...pendingOf(row), pending]) } : { appliedSequence: ack.s }),
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

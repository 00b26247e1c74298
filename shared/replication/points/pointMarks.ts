/**
 * Recovery points cut ahead of apply (docs/data-path.md §7, "Points ahead of apply"). A cycle does not
 * wait for its batches to reach the replica: they are durable in the cache already. It marks
 * each disk still behind with `{s, point}` on the cursor, and the point row records that disk
 * as `{sequence, epoch}` without a snapshot. Apply, once batch `s` is on the replica and before
 * anything later is written, snapshots the replica for every mark at `s` and writes the snapshot
 * into the point row — or onto the mark, when the row is not there yet (the cycle writes marks
 * first), for `settleMarks` to carry over (that snapshot is apply's: `apply/recordApplied.ts`).
 */
import { errors } from "../../domain/errors";
import {
  changeCursor,
  marksOf,
  settlePointDisk,
  withMarks,
  type DataPathDeps,
  type DiskTarget,
  type PointDisk,
  type PointMark,
} from "../store";
import type { DiskCursorRow } from "../../storage/rows";

/**
 * How long something no record names is kept before maintenance removes it: no writer can
 * still be about to record it.
 */
export const ORPHAN_AGE_MS = 15 * 60 * 1000;

/**
 * Marks waiting on one disk at most: past this, apply is so far behind that a cycle is refused
 * (429) until it catches up.
 */
export const MAX_MARKS = 200;

/**
 * Marks the disk for `pointId` at `sequence` unless the replica holds that sequence already.
 * Returns the disk as the point records it when deferred, or undefined when the caller must
 * snapshot now (or a snapshot an earlier attempt's mark got, when there is one).
 */
export async function markDisk(
  deps: DataPathDeps,
  target: DiskTarget,
  sequence: number,
  pointId: string,
): Promise<PointDisk | undefined> {
  let found: PointMark | undefined;
  const row = await changeCursor(deps, target.itemId, target.diskId, (current) => {
    found = marksOf(current).find((m) => m.point === pointId);
    // A resent cycle: the mark stands, and its clock restarts so maintenance keeps it while the row is written.
    if (found)
      return found.s === sequence ? refreshed(current, pointId, deps.now()) : throwMismatch(target.diskId, found.s);
    // Still the last acknowledged batch: apply, which groups batches, never passes a sequence
    // that could be marked after the group was formed.
    if (current.nextSequence - 1 !== sequence) return throwMismatch(target.diskId, current.nextSequence - 1);
    if (current.appliedSequence >= sequence) return undefined;
    if (marksOf(current).length >= MAX_MARKS) throw errors.tooManyRequests(30);
    return withMarks(current, [...marksOf(current), { s: sequence, point: pointId, at: deps.now().toISOString() }]);
  });
  const { diskId, sizeBytes, epoch } = target;
  if (found?.snapshot !== undefined) return { diskId, sizeBytes, snapshot: found.snapshot };
  if (found || row.appliedSequence < sequence) return { diskId, sizeBytes, sequence, epoch };
  return undefined;
}

const throwMismatch = (diskId: string, expected: number): never => {
  throw errors.cycleSequenceMismatch(diskId, expected);
};

const refreshed = (row: DiskCursorRow, pointId: string, now: Date): DiskCursorRow =>
  withMarks(
    row,
    marksOf(row).map((m) => (m.point === pointId ? { ...m, at: now.toISOString() } : m)),
  );

/**
 * Carries snapshots resolved onto marks over to their point rows (all of the disk's, or one
 * point's), and drops marks that are done: carried over, or resolved for a point that never
 * appeared (a cycle that died before its row, a point pruned meanwhile) 15 minutes after.
 */
export async function settleMarks(
  deps: DataPathDeps,
  target: Pick<DiskTarget, "projectId" | "itemId" | "diskId">,
  pointId?: string,
): Promise<void> {
  const found = await deps.stores.diskCursors.get(target.itemId, target.diskId);
  const resolved = found
    ? marksOf(found.value).filter((m) => m.snapshot !== undefined && (pointId === undefined || m.point === pointId))
    : [];
  const done = new Set<string>();
  for (const mark of resolved) {
    const carried = await settlePointDisk(deps, target, mark, mark.snapshot as string);
    if (carried || deps.now().getTime() - Date.parse(mark.at) > ORPHAN_AGE_MS) done.add(mark.point);
  }
  if (done.size === 0) return;
  await changeCursor(deps, target.itemId, target.diskId, (row) =>
    withMarks(
      row,
      marksOf(row).filter((m) => m.snapshot === undefined || !done.has(m.point)),
    ),
  );
}

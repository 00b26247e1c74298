/**
 * Recovery points cut ahead of apply (docs/data-path.md §7, "Deferred points"). A cycle does not
 * wait for its batches to reach the replica: they are durable in the cache already. It marks
 * each disk still behind with `{s, point}` on the cursor, and the point row records that disk
 * as `{sequence, epoch}` without a snapshot. Apply, once batch `s` is on the replica and before
 * anything later is written, snapshots the replica for every mark at `s` and writes the snapshot
 * into the point row — or onto the mark, when the row is not there yet (the cycle writes marks
 * first), for `settleMarks` to carry over.
 */
import { errors } from "../domain/errors";
import type { BlobLease } from "../storage/replicaBlobs";
import { updateRow } from "../storage/optimistic";
import type { DiskTarget } from "./agentItems";
import { replicaRef } from "./blobNames";
import type { DataPathDeps } from "./deps";
import { changeCursor, marksOf, withApplied, withMarks, type PointMark } from "./diskCursor";
import type { PointDisk } from "./recoveryPointStore";

/** A resolved mark whose point row is still missing this long after the mark is given up (its snapshot is then an orphan). */
export const MARK_GIVE_UP_MS = 15 * 60 * 1000;

/**
 * Marks the disk for `pointId` at `sequence` unless the replica holds that sequence already.
 * Returns the disk as the point records it when deferred, or undefined when the caller must
 * snapshot now (or a snapshot an earlier attempt's mark got, when there is one).
 */
export async function markDisk(deps: DataPathDeps, target: DiskTarget, sequence: number, pointId: string): Promise<PointDisk | undefined> {
  let found: PointMark | undefined;
  const row = await changeCursor(deps, target.itemId, target.diskId, (current) => {
    found = marksOf(current).find((m) => m.point === pointId);
    if (found) return undefined;
    // Still the last acknowledged batch: apply, which groups batches, never passes a sequence
    // that could be marked after the group was formed.
    if (current.nextSequence - 1 !== sequence) throw errors.cycleSequenceMismatch(target.diskId, current.nextSequence - 1);
    if (current.appliedSequence >= sequence) return undefined;
    return withMarks(current, [...marksOf(current), { s: sequence, point: pointId, at: deps.now().toISOString() }]);
  });
  const { diskId, sizeBytes, epoch } = target;
  if (found?.snapshot !== undefined) return { diskId, sizeBytes, snapshot: found.snapshot };
  if (found || row.appliedSequence < sequence) return { diskId, sizeBytes, sequence, epoch };
  return undefined;
}

/** Writes `snapshot` into the point's still-open disk; false when the point row is not there. */
async function settleDisk(deps: DataPathDeps, itemId: string, pointId: string, diskId: string, snapshot: string): Promise<boolean> {
  const updated = await updateRow(deps.stores.recoveryPoints, itemId, pointId, (row) => {
    const disks = JSON.parse(row.disks) as PointDisk[];
    const open = disks.find((d) => d.diskId === diskId && d.snapshot === undefined);
    if (!open) return undefined;
    const settled = disks.map((d) => (d === open ? { diskId, sizeBytes: d.sizeBytes, snapshot } : d));
    return { ...row, disks: JSON.stringify(settled) };
  });
  return updated !== undefined;
}

/**
 * Batches up to `s` are on the replica, and the caller still holds the lease: takes the snapshot
 * of every point marked at `s` (one snapshot serves them all), then moves `appliedSequence` on.
 */
export async function recordApplied(deps: DataPathDeps, target: DiskTarget, lease: BlobLease, s: number): Promise<void> {
  const ref = replicaRef(target.projectId, target.itemId, target.diskId);
  let snapshot: string | undefined;
  await changeCursor(deps, target.itemId, target.diskId, async (row) => {
    if (row.appliedSequence >= s) return undefined;
    const passed = marksOf(row).find((m) => m.snapshot === undefined && m.s > row.appliedSequence && m.s < s);
    if (passed) throw new Error(`Apply passed the mark of point ${passed.point} at ${passed.s} on ${target.diskId}.`);
    const marks: PointMark[] = [];
    for (const mark of marksOf(row)) {
      if (mark.s !== s || mark.snapshot !== undefined) {
        marks.push(mark);
        continue;
      }
      snapshot ??= await deps.replicas.snapshot(ref, lease.id);
      if (!(await settleDisk(deps, target.itemId, mark.point, target.diskId, snapshot))) marks.push({ ...mark, snapshot });
    }
    return withMarks(withApplied(row, s, deps.now()), marks);
  });
}

export interface SettleOptions {
  /** Only this point's marks. */
  pointId?: string;
  /** Drop every resolved mark whose point row is missing, however new (the cursor is about to restart). */
  giveUp?: boolean;
}

/**
 * Carries snapshots resolved onto marks over to their point rows, and drops marks that are
 * done: carried over, or resolved for a point that never appeared (a cycle that died before its
 * row, a point pruned meanwhile) once old enough.
 */
export async function settleMarks(deps: DataPathDeps, target: Pick<DiskTarget, "itemId" | "diskId">, options: SettleOptions = {}): Promise<void> {
  const found = await deps.stores.diskCursors.get(target.itemId, target.diskId);
  const resolved = found ? marksOf(found.value).filter((m) => m.snapshot !== undefined && (options.pointId === undefined || m.point === options.pointId)) : [];
  const done = new Set<string>();
  for (const mark of resolved) {
    const stale = options.giveUp === true || deps.now().getTime() - Date.parse(mark.at) > MARK_GIVE_UP_MS;
    const row = await deps.stores.recoveryPoints.get(target.itemId, mark.point);
    if (row) await settleDisk(deps, target.itemId, mark.point, target.diskId, mark.snapshot as string);
    if (row || stale) done.add(mark.point);
  }
  if (done.size === 0) return;
  await changeCursor(deps, target.itemId, target.diskId, (row) => withMarks(row, marksOf(row).filter((m) => m.snapshot === undefined || !done.has(m.point))));
}

/**
 * What apply records once a group of batches is on the replica (docs/data-path.md §7, "Points
 * ahead of apply"): the snapshot of every point marked at the group's last batch (the marks are
 * made by `points/pointMarks.ts`), then `appliedSequence` on the cursor.
 */
import type { BlobLease } from "../../storage/replicaBlobs";
import {
  changeCursor,
  marksOf,
  replicaRef,
  settlePointDisk,
  withApplied,
  withMarks,
  type DataPathDeps,
  type DiskTarget,
  type PointMark,
} from "../store";

/**
 * Batches up to `s` are on the replica, and the caller still holds the lease: takes the snapshot
 * of the points marked at `s` (one snapshot serves them all), writes it into their rows, then
 * moves `appliedSequence` on under the cursor's ETag. A lost race runs again on the fresh row
 * with the same snapshot, so a mark added meanwhile at `s` is honoured too.
 */
export async function recordApplied(
  deps: DataPathDeps,
  target: DiskTarget,
  lease: BlobLease,
  s: number,
): Promise<void> {
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
      // No row yet (its cycle marked first): the snapshot waits on the mark, its clock started now.
      if (!(await settlePointDisk(deps, target, mark, snapshot)))
        marks.push({ ...mark, snapshot, at: deps.now().toISOString() });
    }
    return withMarks(withApplied(row, s, deps.now()), marks);
  });
}

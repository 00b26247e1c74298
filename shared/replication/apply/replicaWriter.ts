/**
 * Page writers bound to one replica under the caller's lease: the planner a pass of apply writes
 * through, and the one a seed batch writes its extents through as they arrive.
 */
import type { ByteRange } from "../../domain/byteRange";
import type { BlobLease } from "../../storage/replicaBlobs";
import { replicaRef, vhdDiskBytes, type DataPathDeps, type DiskTarget } from "../store";
import { PageWritePlanner, PAGE_BYTES } from "./pageWritePlanner";

/**
 * The planner for one replica. `needsClear`, when given, decides whether a zero run must be
 * cleared at all (pages never written already read as zeros).
 */
export function plannerFor(
  deps: DataPathDeps,
  target: DiskTarget,
  lease: BlobLease,
  needsClear?: (offset: number, length: number) => Promise<boolean>,
): PageWritePlanner {
  const ref = replicaRef(target.projectId, target.itemId, target.diskId);
  const clear = async (offset: number, length: number) => {
    if (!needsClear || (await needsClear(offset, length)))
      await deps.replicas.clearPages(ref, offset, length, lease.id);
  };
  return new PageWritePlanner({
    readPage: (offset) => deps.replicas.read(ref, offset, PAGE_BYTES),
    write: (w) =>
      w.kind === "write" ? deps.replicas.writePages(ref, w.offset, w.parts, lease.id) : clear(w.offset, w.length),
  });
}

/**
 * Whether a zero run overlaps pages already written. A seed batch writes in offset order, so the
 * pages from its first zero run on were written only by earlier attempts at this stretch of the
 * copy (a refused or unacknowledged batch): they are listed once, and every other zero run is
 * skipped instead of cleared — a new page blob reads as zeros.
 */
function writtenSince(deps: DataPathDeps, target: DiskTarget): (offset: number, length: number) => Promise<boolean> {
  const ref = replicaRef(target.projectId, target.itemId, target.diskId);
  let written: Promise<ByteRange[]> | undefined;
  return async (offset, length) => {
    written ??= deps.replicas.writtenRanges(ref, offset, vhdDiskBytes(target.sizeBytes) - offset);
    return (await written).some((range) => range.start < offset + length && offset <= range.end);
  };
}

/**
 * The writer a seed batch's extents go through, in offset order, while the caller holds the
 * replica (`withReplica`); the planner keeps a few writes in flight while the next extents arrive.
 */
export function seedWriter(deps: DataPathDeps, target: DiskTarget, lease: BlobLease): PageWritePlanner {
  return plannerFor(deps, target, lease, writtenSince(deps, target));
}

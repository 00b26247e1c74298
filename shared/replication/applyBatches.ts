/**
 * Applies acknowledged batches to a replica, strictly in sequence order, each exactly once:
 * page writes from the staged blob, then the snapshots of points cut at that batch together
 * with `appliedSequence` on the cursor (`pointMarks.ts`), then the staged blob is deleted (a
 * crash in between leaves an orphan for the sweep, never a lost batch).
 */
import { errors, isFerryError } from "../domain/errors";
import type { BlobLease } from "../storage/replicaBlobs";
import type { DiskTarget } from "./agentItems";
import { projectContainer, replicaRef } from "./blobNames";
import type { Extent } from "./batchFormat";
import { ByteReader } from "./byteReader";
import type { DataPathDeps } from "./deps";
import { openCursor, pendingOf, type PendingEntry } from "./diskCursor";
import { PageWritePlanner, PAGE_BYTES } from "./pageWritePlanner";
import { recordApplied } from "./pointMarks";
import { LEASE_SECONDS, withReplica } from "./replicaLock";
import { readStaged } from "./stagedBatch";

/** A batch's extents still in memory from its ingest: applied from there instead of the cache. */
export interface RetainedBatch {
  sequence: number;
  extents: readonly Extent[];
}

/** Applies every acknowledged batch up to `upTo` (inclusive); the caller holds the replica. */
export async function applyUnder(deps: DataPathDeps, target: DiskTarget, lease: BlobLease, upTo: number, retained?: RetainedBatch): Promise<void> {
  let renewedAt = Date.now();
  for (;;) {
    const cursor = await openCursor(deps, target.projectId, target.itemId, target.diskId, target.epoch);
    // A resync moved the disk to a newer epoch: what `target` names is gone.
    if (cursor.epoch !== target.epoch) return;
    const next = cursor.appliedSequence + 1;
    if (next > Math.min(upTo, cursor.nextSequence - 1)) return;
    const entry = pendingOf(cursor).find((p) => p.s === next);
    if (!entry) throw new Error(`Batch ${next} of ${target.itemId}/${target.diskId} is acknowledged but has no staged blob.`);
    if (Date.now() - renewedAt > (LEASE_SECONDS * 1000) / 3) {
      await lease.renew();
      renewedAt = Date.now();
    }
    if (retained?.sequence === entry.s) await applyExtents(deps, target, lease, retained.extents);
    else await applyOne(deps, target, lease, entry);
    await recordApplied(deps, target, lease, entry.s);
    await deps.cache.delete({ container: projectContainer(target.projectId), name: entry.blob });
  }
}

/**
 * The planner for one replica. `needsClear`, when given, decides whether a zero run must be
 * cleared at all (pages never written already read as zeros).
 */
export function plannerFor(deps: DataPathDeps, target: DiskTarget, lease: BlobLease, needsClear?: (offset: number, length: number) => Promise<boolean>): PageWritePlanner {
  const ref = replicaRef(target.projectId, target.itemId, target.diskId);
  const clear = async (offset: number, length: number) => {
    if (!needsClear || (await needsClear(offset, length))) await deps.replicas.clearPages(ref, offset, length, lease.id);
  };
  return new PageWritePlanner({
    readPage: (offset) => deps.replicas.read(ref, offset, PAGE_BYTES),
    write: (w) => (w.kind === "write" ? deps.replicas.writePages(ref, w.offset, w.data, lease.id) : clear(w.offset, w.length)),
  });
}

async function applyExtents(deps: DataPathDeps, target: DiskTarget, lease: BlobLease, extents: readonly Extent[]): Promise<void> {
  const planner = plannerFor(deps, target, lease);
  for (const extent of extents) await planner.add(extent);
  await planner.finish();
}

async function applyOne(deps: DataPathDeps, target: DiskTarget, lease: BlobLease, entry: PendingEntry): Promise<void> {
  const dataKey = await deps.dataKeys.forProject(target.projectId);
  const reader = new ByteReader(deps.cache.readRanges({ container: projectContainer(target.projectId), name: entry.blob }), Number.MAX_SAFE_INTEGER);
  const planner = plannerFor(deps, target, lease);
  const extents = readStaged(reader, { ...target, sequence: entry.s, dataKey });
  try {
    for (let next = await extents.next(); !next.done; next = await extents.next()) await planner.add(next.value);
    await planner.finish();
  } catch (error) {
    // A staged blob that ends early was damaged in storage, not sent short: that is an integrity failure.
    if (isFerryError(error) && error.code === "BatchTruncated") throw errors.chunkIntegrityFailed();
    throw error;
  } finally {
    await reader.close();
  }
}

/** Applies what is acknowledged up to `upTo`; with `optional`, gives up quietly when another process holds the replica. */
export async function applyPending(deps: DataPathDeps, target: DiskTarget, upTo = Number.MAX_SAFE_INTEGER, optional = false, retained?: RetainedBatch): Promise<void> {
  await withReplica(deps, target, (lease) => applyUnder(deps, target, lease, upTo, retained), optional);
}

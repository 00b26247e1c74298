/**
 * Applies acknowledged batches to a replica in sequence order, a few at a time as one pass
 * (`applyWindows.ts`) but never past a point's mark: page writes from the staged blobs, then
 * the snapshots of points cut at the last of them together with `appliedSequence` on the cursor
 * (`recordApplied.ts`), then the staged blobs are deleted (a crash in between leaves orphans for the
 * sweep, never a lost batch; a pass repeated after a crash writes the same bytes again).
 */
import { errors, isFerryError } from "../../domain/errors";
import type { BlobLease } from "../../storage/replicaBlobs";
import { attributeNames, inSpan, measureApply, spanNames } from "../../telemetry";
import {
  marksOf,
  openCursor,
  pendingOf,
  projectContainer,
  readStaged,
  replicaRef,
  vhdDiskBytes,
  type DataPathDeps,
  type DiskTarget,
  type PendingEntry,
} from "../store";
import { ByteReader, type Extent } from "../wire";
import { overlay, windows, WindowRewriter, WINDOW_BYTES } from "./applyWindows";
import type { DiskCursorRow } from "../../storage/rows";
import { recordApplied } from "./recordApplied";
import { plannerFor } from "./replicaWriter";
import { withReplica } from "./replicaLock";

/** A batch's extents still in memory from its ingest: applied from there instead of the cache. */
export interface RetainedBatch {
  sequence: number;
  extents: readonly Extent[];
}

/** Batches applied in one pass at most; a point's mark always ends a pass. */
export const MAX_GROUP_BATCHES = 8;
/**
 * Extents in a window from which it is rewritten whole, when apply is behind: one 4 MiB read and
 * write costs about as much as this many small writes. The price is bytes: every page of the
 * window counts as written, so the next snapshot holds the whole window, not only what changed.
 * Apply that keeps up writes only what changed.
 */
export const WINDOW_REWRITE_PIECES = 24;
/** Window rewrites (each a 4 MiB read, then a 4 MiB write) in flight at once. */
const REWRITES_IN_FLIGHT = 3;

/** Applies every acknowledged batch up to `upTo` (inclusive); the caller holds the replica. */
export async function applyUnder(
  deps: DataPathDeps,
  target: DiskTarget,
  lease: BlobLease,
  upTo: number,
  retained?: RetainedBatch,
): Promise<void> {
  for (;;) {
    const cursor = await openCursor(deps, target.projectId, target.itemId, target.diskId, target.epoch);
    // A resync moved the disk to a newer epoch: what `target` names is gone.
    if (cursor.epoch !== target.epoch) return;
    const group = nextGroup(cursor, Math.min(upTo, cursor.nextSequence - 1));
    if (group.length === 0) return;
    // Behind: more than one batch waits. Only then are dense windows rewritten whole.
    const behind = cursor.nextSequence - 1 - cursor.appliedSequence > 1;
    await inSpan(spanNames.applyPass, passAttributes(target, group, behind), async () => {
      await applyGroup(deps, target, lease, group, { retained, rewrite: behind });
      await recordApplied(deps, target, lease, (group.at(-1) as PendingEntry).s);
    });
    measurePass(deps, cursor, group);
    for (const entry of group)
      await deps.cache.delete({ container: projectContainer(target.projectId), name: entry.blob });
  }
}

function passAttributes(target: DiskTarget, group: PendingEntry[], rewrite: boolean) {
  return {
    [attributeNames.projectId]: target.projectId,
    [attributeNames.itemId]: target.itemId,
    [attributeNames.diskId]: target.diskId,
    [attributeNames.batchSequence]: (group.at(-1) as PendingEntry).s,
    [attributeNames.applyBatches]: group.length,
    [attributeNames.batchDiskBytes]: group.reduce((sum, entry) => sum + entry.covered, 0),
    [attributeNames.applyRewrite]: rewrite,
  };
}

/** Apply's lag (the pass's oldest batch since its ack) and the bytes still waiting behind the pass. */
function measurePass(deps: DataPathDeps, cursor: DiskCursorRow, group: PendingEntry[]): void {
  const last = (group.at(-1) as PendingEntry).s;
  const acked = group.flatMap((entry) => (entry.at ? [Date.parse(entry.at)] : []));
  const lag = acked.length > 0 ? Math.max(0, deps.now().getTime() - Math.min(...acked)) / 1000 : undefined;
  const backlog = pendingOf(cursor)
    .filter((entry) => entry.s > last)
    .reduce((sum, entry) => sum + entry.covered, 0);
  measureApply(lag, backlog);
}

/**
 * The next batches to apply together: consecutive from the applied one, up to `last`, ending at
 * the first one a point is marked at — so the replica passes through every marked state.
 */
function nextGroup(cursor: DiskCursorRow, last: number): PendingEntry[] {
  const pending = pendingOf(cursor);
  const marked = new Set(marksOf(cursor).map((m) => m.s));
  const group: PendingEntry[] = [];
  for (let s = cursor.appliedSequence + 1; s <= last && group.length < MAX_GROUP_BATCHES; s++) {
    const entry = pending.find((p) => p.s === s);
    if (!entry) throw new Error(`Batch ${s} is acknowledged but has no staged blob.`);
    group.push(entry);
    if (marked.has(s)) break;
  }
  return group;
}

/** The group's batches in one pass, window by window (`applyWindows.ts`); a later batch's bytes win. */
async function applyGroup(
  deps: DataPathDeps,
  target: DiskTarget,
  lease: BlobLease,
  group: PendingEntry[],
  options: { retained?: RetainedBatch; rewrite: boolean },
): Promise<void> {
  const { retained } = options;
  const rewriteFrom = options.rewrite ? WINDOW_REWRITE_PIECES : Number.POSITIVE_INFINITY;
  const ref = replicaRef(target.projectId, target.itemId, target.diskId);
  const planner = plannerFor(deps, target, lease);
  const dataKey = await deps.dataKeys.forProject(target.projectId);
  const readers: ByteReader[] = [];
  const sources = group.map((entry) => {
    if (retained?.sequence === entry.s) return retained.extents[Symbol.iterator]();
    const reader = new ByteReader(
      deps.cache.readRanges({ container: projectContainer(target.projectId), name: entry.blob }),
      Number.MAX_SAFE_INTEGER,
    );
    readers.push(reader);
    return readStaged(reader, { ...target, sequence: entry.s, dataKey });
  });
  const rewriter = new WindowRewriter(
    {
      read: (start, length) => deps.replicas.read(ref, start, length),
      write: (start, data) => deps.replicas.writePages(ref, start, data, lease.id),
    },
    REWRITES_IN_FLIGHT,
  );
  const diskEnd = vhdDiskBytes(target.sizeBytes);
  try {
    for await (const window of windows(sources)) {
      if (window.pieces.length >= rewriteFrom)
        await rewriter.add(window.start, Math.min(WINDOW_BYTES, diskEnd - window.start), window.pieces);
      else for (const piece of group.length === 1 ? window.pieces : overlay(window.pieces)) await planner.add(piece);
    }
    await rewriter.finish();
    await planner.finish();
  } catch (error) {
    // Nothing of a failed pass may land after the lease is released.
    await rewriter.abandon();
    await planner.abandon();
    // A staged blob that ends early was damaged in storage, not sent short: that is an integrity failure.
    if (isFerryError(error) && error.code === "BatchTruncated") throw errors.chunkIntegrityFailed();
    throw error;
  } finally {
    await Promise.all(readers.map((reader) => reader.close()));
  }
}

/**
 * Applies what is acknowledged up to `upTo`; with `optional`, gives up quietly when another
 * process holds the replica.
 */
export async function applyPending(
  deps: DataPathDeps,
  target: DiskTarget,
  upTo = Number.MAX_SAFE_INTEGER,
  optional = false,
  retained?: RetainedBatch,
): Promise<void> {
  await withReplica(deps, target, (lease) => applyUnder(deps, target, lease, upTo, retained), optional);
}

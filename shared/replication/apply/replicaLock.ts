/**
 * Exclusive use of one replica: a lock within the process, then a blob lease across processes.
 * Page writes and snapshots carry the lease id, so a holder whose lease lapsed is fenced off by
 * storage itself instead of overwriting a newer batch.
 */
import { createHash } from "node:crypto";
import { errors } from "../../domain/errors";
import type { BlobLease } from "../../storage/replicaBlobs";
import {
  changeCursor,
  openCursor,
  replicaBlobBytes,
  replicaRef,
  vhdDiskBytes,
  vhdFooter,
  type DataPathDeps,
  type DiskTarget,
} from "../store";

/**
 * Azure's shortest lease: a holder that dies (a host killed mid-apply) blocks the replica for at
 * most this long. A live holder renews it every third of it.
 */
export const LEASE_SECONDS = 15;
/** A writer that must have the replica waits out a dead holder's whole lease before it answers 429. */
const LEASE_WAIT_MS = (LEASE_SECONDS + 5) * 1000;
const chains = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier call for the same key in this process. */
async function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
  const before = chains.get(key) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(work);
  chains.set(key, run);
  try {
    return await run;
  } finally {
    if (chains.get(key) === run) chains.delete(key);
  }
}

async function acquire(deps: DataPathDeps, target: DiskTarget, waitMs: number): Promise<BlobLease | undefined> {
  const ref = replicaRef(target.projectId, target.itemId, target.diskId);
  const deadline = Date.now() + waitMs;
  for (;;) {
    const lease = await deps.replicas.lease(ref, LEASE_SECONDS);
    if (lease || Date.now() >= deadline) return lease;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The footer's disk id: stable per item and disk, so rewriting the footer never changes it. */
function uniqueId(target: DiskTarget): Buffer {
  return createHash("sha256").update(`${target.projectId}/${target.itemId}/${target.diskId}`).digest().subarray(0, 16);
}

/** Writes the new replica's VHD footer once, under the lease, then records that the replica is ready. */
async function ensureFooter(deps: DataPathDeps, target: DiskTarget, lease: BlobLease): Promise<void> {
  const ref = replicaRef(target.projectId, target.itemId, target.diskId);
  const footer = vhdFooter({ sizeBytes: vhdDiskBytes(target.sizeBytes), uniqueId: uniqueId(target), time: deps.now() });
  await deps.replicas.writePages(ref, vhdDiskBytes(target.sizeBytes), footer, lease.id);
  await changeCursor(deps, target.itemId, target.diskId, (row) =>
    row.replicaReady ? undefined : { ...row, replicaReady: true },
  );
}

/**
 * Runs `work` holding the replica: created with its footer, leased (and the lease renewed) until
 * `work` ends, then released.
 * `optional` callers (inline apply) skip when another process holds it; others get a 429 to retry.
 * `knownReady`: the caller saw `replicaReady` on the disk's cursor (it never turns false again).
 */
export async function withReplica<T>(
  deps: DataPathDeps,
  target: DiskTarget,
  work: (lease: BlobLease) => Promise<T>,
  optional = false,
  knownReady = false,
): Promise<T | undefined> {
  const ref = replicaRef(target.projectId, target.itemId, target.diskId);
  return serialized(`${ref.container}/${ref.name}`, async () => {
    // A replica once ready stays ready, so a cursor the caller read earlier may answer that.
    const ready =
      knownReady || (await openCursor(deps, target.projectId, target.itemId, target.diskId, target.epoch)).replicaReady;
    // Created without overwriting: a crash between creation and the footer only repeats this.
    if (!ready) await deps.replicas.createIfAbsent(ref, replicaBlobBytes(target.sizeBytes));
    const lease = await acquire(deps, target, optional ? 0 : LEASE_WAIT_MS);
    if (!lease) {
      if (optional) return undefined;
      throw errors.tooManyRequests(5);
    }
    // Renewed while held, however long the work takes (a slow body, a long apply): a lease that
    // lapses anyway fences the holder's writes off.
    const renewal = setInterval(
      () => {
        lease.renew().catch(() => undefined);
      },
      (LEASE_SECONDS * 1000) / 3,
    );
    try {
      if (!ready) await ensureFooter(deps, target, lease);
      return await work(lease);
    } finally {
      clearInterval(renewal);
      await lease.release();
    }
  });
}

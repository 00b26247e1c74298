/**
 * A recovery point's data, ready to read. A disk cut ahead of apply (`pointMarks.ts`) gets its
 * snapshot first: the disk's acknowledged batches are applied up to the point, which takes it.
 * Verification and failover read points through this; nothing else needs the bytes.
 */
import { setTimeout } from "node:timers/promises";
import { errors, isFerryError } from "../../domain/errors";
import {
  getPoint,
  isSettled,
  type DataPathDeps,
  type DiskTarget,
  type PointDisk,
  type SettledDisk,
  type StoredPoint,
} from "../store";
import { applyPending } from "../apply";
import { settleMarks } from "./pointMarks";

export interface SettledPoint extends StoredPoint {
  readonly disks: readonly SettledDisk[];
}

/** How long a reader waits for a replica another process is applying to before its task fails (and is retried). */
const LEASE_PATIENCE_MS = 10 * 60 * 1000;
/** Between attempts on a replica another process holds. */
const LEASE_RETRY_MS = 500;

const allSettled = (point: StoredPoint): point is SettledPoint => point.disks.every(isSettled);

export async function settledPoint(
  deps: DataPathDeps,
  projectId: string,
  itemId: string,
  point: StoredPoint,
): Promise<SettledPoint> {
  if (allSettled(point)) return point;
  for (const disk of point.disks) {
    if (isSettled(disk) || disk.sequence === undefined || disk.epoch === undefined) continue;
    const target = { projectId, itemId, diskId: disk.diskId, sizeBytes: disk.sizeBytes, epoch: disk.epoch };
    await appliedUpTo(deps, target, disk.sequence);
    await settleMarks(deps, target, point.id);
  }
  const again = await getPoint(deps, projectId, itemId, point.id);
  if (allSettled(again)) return again;
  const open = again.disks.find((d: PointDisk) => !isSettled(d));
  throw errors.noRecoveryPoint(
    `Recovery point ${point.id} cannot be read: disk ${open?.diskId} has no snapshot ` +
      "and its batches are no longer there to apply.",
  );
}

/** Applies the disk up to `sequence` unless it is there already, waiting out another process's lease. */
async function appliedUpTo(deps: DataPathDeps, target: DiskTarget, sequence: number): Promise<void> {
  const deadline = Date.now() + LEASE_PATIENCE_MS;
  for (;;) {
    const cursor = await deps.stores.diskCursors.get(target.itemId, target.diskId);
    if (!cursor || cursor.value.epoch !== target.epoch || cursor.value.appliedSequence >= sequence) return;
    try {
      await applyPending(deps, target, sequence);
      return;
    } catch (error) {
      const busy = isFerryError(error) && error.code === "TooManyRequests";
      if (!busy) throw error;
      if (Date.now() > deadline)
        throw new Error(`The replica of ${target.diskId} stayed busy for ${LEASE_PATIENCE_MS / 60000} minutes.`, {
          cause: error,
        });
      await setTimeout(LEASE_RETRY_MS);
    }
  }
}

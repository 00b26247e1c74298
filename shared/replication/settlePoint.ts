/**
 * A recovery point's data, ready to read. A disk cut ahead of apply (`pointMarks.ts`) gets its
 * snapshot first: the disk's acknowledged batches are applied up to the point, which takes it.
 * Verification and failover read points through this; nothing else needs the bytes.
 */
import type { DataPathDeps } from "./deps";
import { applyPending } from "./applyBatches";
import { settleMarks } from "./pointMarks";
import { getPoint, isSettled, type SettledDisk, type StoredPoint } from "./recoveryPointStore";

export interface SettledPoint extends StoredPoint {
  readonly disks: readonly SettledDisk[];
}

const allSettled = (point: StoredPoint): point is SettledPoint => point.disks.every(isSettled);

export async function settledPoint(deps: DataPathDeps, projectId: string, itemId: string, point: StoredPoint): Promise<SettledPoint> {
  if (allSettled(point)) return point;
  for (const disk of point.disks) {
    if (isSettled(disk) || disk.sequence === undefined || disk.epoch === undefined) continue;
    const target = { projectId, itemId, diskId: disk.diskId, sizeBytes: disk.sizeBytes, epoch: disk.epoch };
    await applyPending(deps, target, disk.sequence);
    await settleMarks(deps, target, { pointId: point.id });
  }
  const again = await getPoint(deps, projectId, itemId, point.id);
  if (allSettled(again)) return again;
  const open = again.disks.find((d) => !isSettled(d));
  throw new Error(`Recovery point ${point.id}: disk ${open?.diskId} has no snapshot and its batches cannot be applied any more.`);
}

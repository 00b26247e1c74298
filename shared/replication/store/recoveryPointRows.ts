/**
 * Recovery-point rows: each names one replica snapshot per disk (the data, written first), or,
 * for a disk whose batches were not yet applied when the point was cut, the sequence at which
 * apply takes that snapshot (`points/pointMarks.ts`).
 */
import { createHash } from "node:crypto";
import { getItemRow } from "../../controlPlane/items";
import { getJob } from "../../controlPlane/jobStore";
import type { ControlPlaneDeps } from "../../controlPlane/deps";
import { errors } from "../../domain/errors";
import { newId } from "../../domain/ids";
import { isJobFinished } from "../../domain/jobs";
import {
  newestFirst,
  pinPoint,
  unpinPoint,
  type RecoveryPoint,
  type RecoveryPointType,
} from "../../domain/recoveryPoints";
import { columns, type PointDisk } from "../../storage/columns";
import { updateRow } from "../../storage/optimistic";
import type { RecoveryPointRow } from "../../storage/rows";
import type { DiskTarget } from "./agentItems";

export type { PointDisk } from "../../storage/columns";

/** A disk whose data is a snapshot: what verification and failover read. */
export interface SettledDisk extends PointDisk {
  snapshot: string;
}

export const isSettled = (disk: PointDisk): disk is SettledDisk => disk.snapshot !== undefined;

export interface StoredPoint extends RecoveryPoint {
  readonly disks: readonly PointDisk[];
  readonly final: boolean;
  readonly etag: string;
}

export function toPoint(id: string, row: RecoveryPointRow, etag: string): StoredPoint {
  const disks = columns.pointDisks.parse(row.disks);
  return {
    id,
    time: row.time,
    receivedAt: row.createdAt,
    type: row.type as RecoveryPointType,
    disks,
    pinnedBy: columns.pointPins.parse(row.pins),
    final: row.final,
    processed: disks.every(isSettled),
    etag,
  };
}

/**
 * A cycle's point id is derived from the item, the cycle id and the source time: a resent
 * cycle names the same point, so creating it twice is an insert that finds it there.
 */
export function cyclePointId(itemId: string, cycleId: string, sourceTime: string): string {
  const seed = createHash("sha256").update(`${itemId}\n${cycleId}`).digest();
  return newId("recoveryPoint", new Date(sourceTime), () => seed.subarray(0, 10));
}

export async function itemPoints(deps: ControlPlaneDeps, itemId: string): Promise<StoredPoint[]> {
  const out: StoredPoint[] = [];
  for await (const found of deps.stores.recoveryPoints.partition(itemId))
    out.push(toPoint(found.rowKey, found.value, found.etag));
  return out;
}

/** The operator's list: newest first. */
export async function listRecoveryPoints(deps: ControlPlaneDeps, projectId: string, itemId: string) {
  await getItemRow(deps, projectId, itemId);
  const points = await itemPoints(deps, itemId);
  const sorted = [...points].sort(newestFirst);
  return sorted.map((p) => ({
    id: p.id,
    time: p.time,
    type: p.type,
    disks: p.disks.map((d) => ({ diskId: d.diskId, sizeBytes: d.sizeBytes })),
    processed: p.processed !== false,
  }));
}

export async function getPoint(
  deps: ControlPlaneDeps,
  projectId: string,
  itemId: string,
  pointId: string,
): Promise<StoredPoint> {
  await getItemRow(deps, projectId, itemId);
  const found = await deps.stores.recoveryPoints.get(itemId, pointId);
  if (!found || found.value.projectId !== projectId) throw errors.notFound("RecoveryPoint", pointId);
  return toPoint(pointId, found.value, found.etag);
}

async function changePins(
  deps: ControlPlaneDeps,
  itemId: string,
  pointId: string,
  change: (point: RecoveryPoint) => RecoveryPoint,
): Promise<void> {
  const updated = await updateRow(deps.stores.recoveryPoints, itemId, pointId, (row) => {
    const point = toPoint(pointId, row, "");
    const next = change(point);
    return next === point ? undefined : { ...row, pins: columns.pointPins.serialize(next.pinnedBy) };
  });
  if (!updated) throw errors.notFound("RecoveryPoint", pointId);
}

/** Keeps retention away from a point while a job uses it. */
export const pinRecoveryPoint = (deps: ControlPlaneDeps, itemId: string, pointId: string, jobId: string) =>
  changePins(deps, itemId, pointId, (p) => pinPoint(p, jobId));

export const unpinRecoveryPoint = (deps: ControlPlaneDeps, itemId: string, pointId: string, jobId: string) =>
  changePins(deps, itemId, pointId, (p) => unpinPoint(p, jobId));

/** Verification pins whose job has ended (or never started) hold nothing any more. */
async function livePins(deps: ControlPlaneDeps, projectId: string, point: StoredPoint): Promise<StoredPoint> {
  const live: string[] = [];
  for (const jobId of point.pinnedBy) {
    const job = await getJob(deps, projectId, jobId).catch(() => undefined);
    if (job && !(job.operation === "VerifyRecoveryPoint" && isJobFinished(job))) live.push(jobId);
  }
  return live.length === point.pinnedBy.length ? point : { ...point, pinnedBy: live };
}

/** The item's points with only the pins retention honours: what pruning, and a failover's choice of point, go by. */
export async function pointsAsRetentionSees(
  deps: ControlPlaneDeps,
  projectId: string,
  itemId: string,
): Promise<StoredPoint[]> {
  return Promise.all((await itemPoints(deps, itemId)).map((point) => livePins(deps, projectId, point)));
}

/**
 * Writes `snapshot` into the point's disk still waiting at `s` (`points/pointMarks.ts`); false when
 * the point row is not there. The point's last disk to settle makes it the item's newest processed
 * point, if newer.
 */
export async function settlePointDisk(
  deps: ControlPlaneDeps,
  target: Pick<DiskTarget, "projectId" | "itemId" | "diskId">,
  mark: { point: string; s: number },
  snapshot: string,
): Promise<boolean> {
  let processed = false;
  const updated = await updateRow(deps.stores.recoveryPoints, target.itemId, mark.point, (row) => {
    const disks = columns.pointDisks.parse(row.disks);
    const open = disks.find((d) => d.diskId === target.diskId && d.snapshot === undefined && d.sequence === mark.s);
    if (!open) return undefined;
    const settled = disks.map((d) => (d === open ? { diskId: target.diskId, sizeBytes: d.sizeBytes, snapshot } : d));
    processed = settled.every((d) => d.snapshot !== undefined);
    return { ...row, disks: columns.pointDisks.serialize(settled) };
  });
  if (updated && processed) await recordProcessed(deps, target.projectId, target.itemId, updated.time);
  return updated !== undefined;
}

/** The item's newest processed point moves on to `time` if that is newer (health compares it with the newest point). */
async function recordProcessed(deps: ControlPlaneDeps, projectId: string, itemId: string, time: string): Promise<void> {
  // An item removed meanwhile has nothing left to report.
  await updateRow(deps.stores.items, projectId, itemId, (row) =>
    row.lastProcessedPointTime !== undefined && row.lastProcessedPointTime >= time
      ? undefined
      : { ...row, lastProcessedPointTime: time },
  );
}

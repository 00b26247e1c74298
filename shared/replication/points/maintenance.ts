/**
 * The data path's housekeeping, run by a timer: apply batches left acknowledged but unapplied,
 * prune recovery points past retention (the row first, then its snapshots: a row must never
 * point at nothing), and sweep orphans — staged blobs no cursor names and snapshots no point
 * names — once they are old enough that no writer can still be about to record them.
 */
import { pointsToPrune } from "../../domain/recoveryPoints";
import type { DiskCursorRow } from "../../storage/rows";
import {
  cachePrefix,
  isSettled,
  itemPoints,
  marksOf,
  pendingOf,
  pointsAsRetentionSees,
  projectContainer,
  replicaPrefix,
  replicaRef,
  toAgentItem,
  type AgentItem,
  type DataPathDeps,
  type StoredPoint,
} from "../store";
import { applyPending } from "../apply";
import { ORPHAN_AGE_MS, settleMarks } from "./pointMarks";

export interface MaintenanceReport {
  applied: number;
  pruned: number;
  sweptBlobs: number;
  sweptSnapshots: number;
}

export async function maintainDataPath(deps: DataPathDeps): Promise<MaintenanceReport> {
  await deps.stores.ready();
  const report: MaintenanceReport = { applied: 0, pruned: 0, sweptBlobs: 0, sweptSnapshots: 0 };
  let failure: unknown;
  for await (const project of deps.stores.projects.partition("project")) {
    for await (const found of deps.stores.items.partition(project.rowKey)) {
      // One item's trouble must not keep the others from their housekeeping.
      await maintainItem(deps, toAgentItem(project.rowKey, found.rowKey, found.value), report).catch(
        (error: unknown) => {
          failure ??= error;
        },
      );
    }
  }
  if (failure !== undefined) throw failure;
  return report;
}

export async function maintainItem(deps: DataPathDeps, item: AgentItem, report: MaintenanceReport): Promise<void> {
  const cursors = new Map<string, DiskCursorRow>();
  for await (const found of deps.stores.diskCursors.partition(item.itemId)) cursors.set(found.rowKey, found.value);
  for (const disk of item.disks.filter((d) => d.include)) {
    const cursor = cursors.get(disk.diskId);
    if (!cursor) continue;
    if (cursor.appliedSequence < cursor.nextSequence - 1) {
      await applyPending(
        deps,
        {
          projectId: item.projectId,
          itemId: item.itemId,
          diskId: disk.diskId,
          sizeBytes: disk.sizeBytes,
          epoch: item.epoch,
        },
        undefined,
        true,
      );
      report.applied += 1;
    }
    await settleMarks(deps, { projectId: item.projectId, itemId: item.itemId, diskId: disk.diskId });
  }
  report.pruned += await pruneRecoveryPoints(deps, item);
  report.sweptBlobs += await sweepStaged(deps, item, cursors);
  report.sweptSnapshots += await sweepSnapshots(deps, item, cursors);
}

export async function pruneRecoveryPoints(deps: DataPathDeps, item: AgentItem): Promise<number> {
  const policy = await deps.stores.policies.get(item.projectId, item.row.policyId);
  if (!policy) return 0;
  const points = await pointsAsRetentionSees(deps, item.projectId, item.itemId);
  let pruned = 0;
  const prunable = pointsToPrune(points, {
    now: deps.now(),
    retentionHours: policy.value.recoveryPointRetentionHours,
  }) as StoredPoint[];
  // Points cut at the same batch of a disk share its snapshot: it goes with the last of them.
  const kept = new Set(
    points
      .filter((p) => !prunable.includes(p))
      .flatMap((p) => p.disks.filter(isSettled).map((d) => `${d.diskId}@${d.snapshot}`)),
  );
  for (const point of prunable) {
    // Under the ETag read above: a point pinned meanwhile keeps its row.
    if (!(await deps.stores.recoveryPoints.deleteIfUnchanged(item.itemId, point.id, point.etag))) continue;
    // A disk still waiting for its snapshot has none; the one apply takes later is swept as an orphan.
    for (const disk of point.disks.filter(isSettled)) {
      if (!kept.has(`${disk.diskId}@${disk.snapshot}`))
        await deps.replicas.deleteSnapshot(replicaRef(item.projectId, item.itemId, disk.diskId), disk.snapshot);
    }
    pruned += 1;
  }
  return pruned;
}

const oldEnough = (deps: DataPathDeps, time: Date) => deps.now().getTime() - time.getTime() > ORPHAN_AGE_MS;

/** Staged blobs no cursor names: applied ones whose delete was lost, refused or abandoned attempts, old epochs. */
async function sweepStaged(deps: DataPathDeps, item: AgentItem, cursors: Map<string, DiskCursorRow>): Promise<number> {
  const named = new Set([...cursors.values()].flatMap((c) => pendingOf(c).map((p) => p.blob)));
  const container = projectContainer(item.projectId);
  let swept = 0;
  for await (const blob of deps.cache.list(container, cachePrefix(item.itemId))) {
    if (named.has(blob.name) || !oldEnough(deps, blob.lastModified)) continue;
    await deps.cache.delete({ container, name: blob.name });
    swept += 1;
  }
  return swept;
}

/** Snapshots no recovery point names: a cycle that crashed before its row, or a pruned point's leftovers. */
async function sweepSnapshots(
  deps: DataPathDeps,
  item: AgentItem,
  cursors: Map<string, DiskCursorRow>,
): Promise<number> {
  // Snapshot ids are times, unique per blob only: two disks snapshotted together share one.
  const key = (name: string, snapshot: string) => `${name}@${snapshot}`;
  const named = new Set(
    (await itemPoints(deps, item.itemId)).flatMap((p) =>
      p.disks.filter(isSettled).map((d) => key(replicaRef(item.projectId, item.itemId, d.diskId).name, d.snapshot)),
    ),
  );
  // Snapshots apply took for points whose rows are not written yet.
  for (const [diskId, cursor] of cursors) {
    for (const mark of marksOf(cursor))
      if (mark.snapshot) named.add(key(replicaRef(item.projectId, item.itemId, diskId).name, mark.snapshot));
  }
  const container = projectContainer(item.projectId);
  let swept = 0;
  for await (const snap of deps.replicas.listSnapshots(container, replicaPrefix(item.itemId))) {
    if (named.has(key(snap.name, snap.snapshot)) || !oldEnough(deps, new Date(snap.snapshot))) continue;
    await deps.replicas.deleteSnapshot({ container, name: snap.name }, snap.snapshot);
    swept += 1;
  }
  return swept;
}

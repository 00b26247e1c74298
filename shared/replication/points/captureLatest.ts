import { getItemRow } from "../../controlPlane/items";
import { applyUnder, withReplica } from "../apply";
import {
  cyclePointId,
  diskTarget,
  getPoint,
  includedDisks,
  openCursor,
  replicaRef,
  toAgentItem,
  type DataPathDeps,
  type PointDisk,
  type StoredPoint,
} from "../store";
import { attributeNames, inSpan, spanNames } from "../../telemetry";
import { insertPoint } from "./insertPoint";

/** The job a point is captured for. */
export interface CapturingJob {
  projectId: string;
  itemId: string;
  jobId: string;
}

/**
 * Site Recovery's "Latest": every acknowledged change is applied and captured in a new point
 * now. What arrived mid-cycle is no consistent view of the source, so the point says
 * "Inconsistent". Its id and time derive from the job, so a retried task finds it.
 */
export function captureLatestPoint(deps: DataPathDeps, job: CapturingJob, jobCreated: string): Promise<StoredPoint> {
  const attributes = {
    [attributeNames.projectId]: job.projectId,
    [attributeNames.itemId]: job.itemId,
    [attributeNames.jobId]: job.jobId,
  };
  return inSpan(spanNames.latestPoint, attributes, () => captureLatest(deps, job, jobCreated));
}

async function captureLatest(deps: DataPathDeps, job: CapturingJob, jobCreated: string): Promise<StoredPoint> {
  const item = toAgentItem(job.projectId, job.itemId, await getItemRow(deps, job.projectId, job.itemId));
  const cycleId = `job:${job.jobId}`;
  const pointId = cyclePointId(job.itemId, cycleId, jobCreated);
  if (!(await deps.stores.recoveryPoints.get(job.itemId, pointId))) {
    const disks: PointDisk[] = [];
    for (const disk of includedDisks(item)) {
      const target = diskTarget(item, disk.diskId);
      const cursor = await openCursor(deps, item.projectId, item.itemId, disk.diskId, item.epoch);
      const snapshot = await withReplica(deps, target, async (lease) => {
        await applyUnder(deps, target, lease, cursor.nextSequence - 1);
        return deps.replicas.snapshot(replicaRef(item.projectId, item.itemId, disk.diskId), lease.id);
      });
      disks.push({ diskId: disk.diskId, snapshot: snapshot as string, sizeBytes: disk.sizeBytes });
    }
    const { projectId, itemId } = job;
    await insertPoint(deps, {
      projectId,
      itemId,
      pointId,
      time: jobCreated,
      type: "Inconsistent",
      disks,
      cycleId,
      final: false,
    });
  }
  return getPoint(deps, job.projectId, job.itemId, pointId);
}

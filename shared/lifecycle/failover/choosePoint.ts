import { getJob } from "../../controlPlane/jobStore";
import { chooseRecoveryPoint, type RecoveryPointChoice } from "../../domain/recoveryPoints";
import { unwrap } from "../../domain/result";
import { getPoint, itemPoints, pinRecoveryPoint, type StoredPoint } from "../../replication/store";
import type { JobRef } from "../taskTypes";
import { captureLatestPoint } from "../../replication/points";
import type { FailoverDeps } from "./deps";

/** Resolves the operator's recovery-point choice (capturing a new point for "Latest") and pins it to the job. */
export async function choosePoint(deps: FailoverDeps, job: JobRef, choice: RecoveryPointChoice): Promise<StoredPoint> {
  const selection = unwrap(chooseRecoveryPoint(await itemPoints(deps, job.itemId), choice));
  const point =
    selection.kind === "Existing"
      ? await getPoint(deps, job.projectId, job.itemId, selection.point.id)
      : await captureLatestPoint(deps, job, (await getJob(deps, job.projectId, job.jobId)).createTime);
  await pinRecoveryPoint(deps, job.itemId, point.id, job.jobId);
  return point;
}

export function describePoint(point: StoredPoint): string {
  return `Recovery point ${point.id} (${point.type}, source time ${point.time}).`;
}

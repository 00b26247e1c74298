import { errors } from "../../domain/errors";
import { taskNames } from "../../domain/jobTasks";
import { dataPathDeps, getPoint } from "../../replication/store";
import { computeDigests } from "../../replication/points";
import type { JobRef, TaskWork } from "../taskTypes";

const [readPoint, checksums] = taskNames.verify;

function pointOf(job: JobRef): string {
  const id = job.parameters?.recoveryPointId;
  if (id === undefined) throw errors.invalidInput("A verification needs the recovery point id.", "recoveryPointId");
  return id;
}

/** VerifyRecoveryPoint: find the point, then hash each disk's snapshot into the job's result. */
export const verifyTasks: Record<string, TaskWork> = {
  [readPoint]: async (deps, job) => {
    const point = await getPoint(deps, job.projectId, job.itemId, pointOf(job));
    return `Recovery point ${point.id} (${point.type}, ${point.time}) with ${point.disks.length} disk(s).`;
  },
  [checksums]: async (deps, job) =>
    computeDigests(dataPathDeps(deps), {
      projectId: job.projectId,
      jobId: job.jobId,
      itemId: job.itemId,
      recoveryPointId: pointOf(job),
    }),
};

import type { ControlPlaneDeps } from "../controlPlane/deps";
import { changeJob, getJob } from "../controlPlane/jobStore";
import { errors } from "../domain/errors";
import { requestCancel } from "../domain/jobCancellation";
import { isJobFinished, markTaskFailed, type Job, type JobError } from "../domain/jobs";
import { ok } from "../domain/result";
import { cancelJobRun, cleanUpFailedRun, compensateRun, failJobRun } from "./jobRunner";
import type { JobRef } from "./taskTypes";

/** Operations that can be cancelled safely: what they created is removed and replication goes on. */
export const cancellableOperations: readonly string[] = [
  "TestMigrate",
  "Migrate",
  "RecoveryPlanTestMigrate",
  "RecoveryPlanMigrate",
];

/**
 * An operator's cancel, recorded on the job row under its ETag only if it will take effect
 * (domain/jobCancellation.ts); the caller then wakes the orchestration. Refused: 409 OperationNotAllowed.
 */
export async function requestJobCancel(deps: ControlPlaneDeps, projectId: string, jobId: string): Promise<Job> {
  const job = await getJob(deps, projectId, jobId);
  if (!isJobFinished(job) && !cancellableOperations.includes(job.operation)) {
    throw errors.operationNotAllowed("Cancel", `a ${job.displayName} job cannot be cancelled; wait for it to finish`);
  }
  return changeJob(deps, projectId, jobId, (current) => requestCancel(current, deps.now()));
}

/** A cancelled run: the operation's compensations undo what it made, then the job shows Cancelled. */
export async function endCancelledRun(deps: ControlPlaneDeps, ref: JobRef): Promise<void> {
  await compensateRun(deps, ref);
  await cancelJobRun(deps, ref);
}

/**
 * A failed run. A cancel accepted before the failure was promised, so it wins; otherwise the task
 * is marked Failed first (which refuses any later cancel), then what a failure must not leave
 * behind is undone and the job shows Failed.
 */
export async function endFailedRun(
  deps: ControlPlaneDeps,
  ref: JobRef & { task?: string; error: JobError },
): Promise<void> {
  if (await cancelRecordedFirst(deps, ref)) return endCancelledRun(deps, ref);
  await cleanUpFailedRun(deps, ref);
  await failJobRun(deps, ref);
}

async function cancelRecordedFirst(
  deps: ControlPlaneDeps,
  ref: JobRef & { task?: string; error: JobError },
): Promise<boolean> {
  let cancelled = false;
  await changeJob(deps, ref.projectId, ref.jobId, (job) => {
    cancelled = job.cancelRequestedTime !== undefined;
    const task = ref.task;
    if (cancelled || isJobFinished(job) || task === undefined || !job.tasks.some((t) => t.name === task))
      return ok(job);
    return markTaskFailed(job, task, deps.now(), ref.error);
  });
  return cancelled;
}

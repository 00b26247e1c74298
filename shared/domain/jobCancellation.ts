import { errors } from "./errors";
import { isPlanOperation } from "./jobTasks";
import { isJobFinished, type Job, type JobTask } from "./jobs";
import { planCancelRefusal } from "./planJobs";
import { fail, ok, type Result } from "./result";

/*
 * A cancel lets the running task finish, then undoes what the job made. It is accepted only while
 * it can still take effect: its point of no return is the start of the job's last task (after
 * which the job finishes as it is), a failed task (the job is ending as Failed) or the job's end.
 * The request and each task's start are both decided on the job row under its ETag, so a cancel
 * racing the last step is either recorded before that step starts (which then never starts) or refused.
 */

/** The last task the job runs (tasks planned as skipped never run). */
export function lastTaskToRun(job: Job): JobTask | undefined {
  return job.tasks.filter((task) => task.state !== "Skipped").at(-1);
}

/** Why a cancel could no longer take effect, if it could not. */
function pastPointOfNoReturn(job: Job): string | undefined {
  if (isJobFinished(job)) return `the job has already finished (${job.state})`;
  const failed = job.tasks.find((task) => task.state === "Failed");
  if (failed) return `task '${failed.name}' failed, so the job is ending as Failed`;
  // A plan's job checks its cancel again before it ends: an accepted cancel always undoes its work.
  if (isPlanOperation(job.operation)) return planCancelRefusal(job);
  const last = lastTaskToRun(job);
  if (last && last.state !== "NotStarted")
    return `its last task '${last.name}' has started, so the job will finish as it is`;
  return undefined;
}

/** Records an operator's cancel if it will take effect; asking again while the job winds down changes nothing. */
export function requestCancel(job: Job, now: Date): Result<Job> {
  if (job.cancelRequestedTime !== undefined && !isJobFinished(job)) return ok(job);
  const refusal = pastPointOfNoReturn(job);
  if (refusal !== undefined) return fail(errors.operationNotAllowed("Cancel", refusal));
  return ok({ ...job, cancelRequestedTime: now.toISOString() });
}

/** A recorded cancel keeps a task from starting; a task already started goes on (its activity may run again). */
export function cancelStopsTask(job: Job, name: string): boolean {
  return (
    job.cancelRequestedTime !== undefined && job.tasks.some((task) => task.name === name && task.state === "NotStarted")
  );
}

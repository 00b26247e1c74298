import * as df from "durable-functions";
import { isFerryError } from "../../shared/domain/errors";
import type { JobError } from "../../shared/domain/jobs";
import { endCancelledRun, endFailedRun } from "../../shared/lifecycle/cancellation";
import { finishJob, runJobTask, type TaskNotStarted } from "../../shared/lifecycle/jobRunner";
import type { JobRef, TaskResume, TaskWait } from "../../shared/lifecycle/taskTypes";
import { services } from "../../shared/services";

export const activityNames = {
  runJobTask: "runJobTask",
  finishJob: "finishJob",
  failJob: "failJob",
  cancelJob: "cancelJobRun",
} as const;

/** `cancelRequested`: the task did not start because a cancel was recorded first. */
export type ActivityOutcome =
  { ok: true; wait?: TaskWait["wait"]; cancelRequested?: true } | { ok: false; error: JobError };

/** Domain refusals end the job (no retry); anything else is thrown so the orchestration retries it. */
async function outcome(work: () => Promise<TaskWait | TaskNotStarted | void | undefined>): Promise<ActivityOutcome> {
  try {
    const run = await work();
    return run ? { ok: true, ...run } : { ok: true };
  } catch (error) {
    if (isFerryError(error)) return { ok: false, error: { code: error.code, message: error.message } };
    throw error;
  }
}

df.app.activity(activityNames.runJobTask, {
  handler: (input: JobRef & { task: string; resumed?: TaskResume }) => outcome(() => runJobTask(services(), input)),
});

df.app.activity(activityNames.finishJob, {
  handler: (input: JobRef) => outcome(() => finishJob(services(), input)),
});

/**
 * Undoes what the operation must not leave behind on failure (a migration's VM and point),
 * then marks it Failed — or Cancelled, if a cancel was accepted first.
 */
df.app.activity(activityNames.failJob, {
  handler: (input: JobRef & { task?: string; error: JobError }) => outcome(() => endFailedRun(services(), input)),
});

/** Undoes what the job created (the operation's compensations), then marks it Cancelled. */
df.app.activity(activityNames.cancelJob, {
  handler: (input: JobRef) => outcome(() => endCancelledRun(services(), input)),
});

import * as df from "durable-functions";
import type { OrchestrationContext, OrchestrationHandler } from "durable-functions";
import type { JobError } from "../../shared/domain/jobs";
import type { JobRef } from "../../shared/lifecycle/taskWork";
import { activityNames, type ActivityOutcome } from "../activities/jobActivities";

export const runJobName = "runJob";

export interface RunJobInput extends JobRef {
  /** The tasks to run, in order (tasks planned as skipped are left out). */
  tasks: string[];
}

const retry = new df.RetryOptions(2000, 4);

function failure(task: string | undefined, error: JobError) {
  return { task, error };
}

/**
 * Runs a lifecycle job's tasks in order, each an idempotent activity; the first failure
 * fails the job and releases the item.
 */
export const runJob: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<RunJobInput>();
  let failed: { task?: string; error: JobError } | undefined;
  for (const task of input.tasks) {
    try {
      const result = (yield context.df.callActivityWithRetry(activityNames.runJobTask, retry, { ...input, task })) as ActivityOutcome;
      if (!result.ok) failed = failure(task, result.error);
    } catch (error) {
      failed = failure(task, { code: "TaskFailed", message: error instanceof Error ? error.message : String(error) });
    }
    if (failed) break;
  }
  if (!failed) {
    const done = (yield context.df.callActivityWithRetry(activityNames.finishJob, retry, input)) as ActivityOutcome;
    if (done.ok) return "Succeeded";
    failed = failure(undefined, done.error);
  }
  yield context.df.callActivityWithRetry(activityNames.failJob, retry, { ...input, ...failed });
  return "Failed";
};

df.app.orchestration(runJobName, runJob);

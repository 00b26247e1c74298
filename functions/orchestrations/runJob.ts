import * as df from "durable-functions";
import type { OrchestrationContext, OrchestrationHandler, Task } from "durable-functions";
import type { JobError } from "../../shared/domain/jobs";
import type { JobRef, TaskResume } from "../../shared/lifecycle/taskTypes";
import { activityNames, type ActivityOutcome } from "../activities/jobActivities";

export const runJobName = "runJob";
export const cancelEventName = "Cancel";

export interface RunJobInput extends JobRef {
  /** The tasks to run, in order (tasks planned as skipped are left out). */
  tasks: string[];
  cancellable: boolean;
}

type Step = { kind: "ok" } | { kind: "failed"; task?: string; error: JobError } | { kind: "cancelled" };

const retry = new df.RetryOptions(2000, 4);

function asError(error: unknown): JobError {
  return { code: "TaskFailed", message: error instanceof Error ? error.message : String(error) };
}

/**
 * Runs one task; a cancel request lets the running task finish (so nothing is left half-made), then
 * stops. The job row has the last word: a task does not start once a cancel is recorded there.
 */
function* runTask(
  context: OrchestrationContext,
  input: RunJobInput,
  task: string,
  cancel: Task | undefined,
): Generator<Task, Step, unknown> {
  let resumed: TaskResume | undefined;
  for (;;) {
    const work = context.df.callActivityWithRetry(activityNames.runJobTask, retry, { ...input, task, resumed });
    try {
      if (cancel && (yield context.df.Task.any([work, cancel])) === cancel) {
        yield* settle(work);
        return { kind: "cancelled" };
      }
      const result = (yield work) as ActivityOutcome;
      if (!result.ok) return { kind: "failed", task, error: result.error };
      if (result.cancelRequested) return { kind: "cancelled" };
      if (!result.wait) return { kind: "ok" };
      resumed = yield* waitFor(context, result.wait, cancel);
      if (!resumed) return { kind: "cancelled" };
    } catch (error) {
      return { kind: "failed", task, error: asError(error) };
    }
  }
}

/**
 * Waits for a task's event or its time-out (a durable timer, cancelled when the event wins);
 * undefined when cancelled.
 */
function* waitFor(
  context: OrchestrationContext,
  wait: { event: string; timeoutSeconds: number },
  cancel: Task | undefined,
): Generator<Task, TaskResume | undefined, unknown> {
  const deadline = new Date(context.df.currentUtcDateTime.getTime() + wait.timeoutSeconds * 1000);
  const timer = context.df.createTimer(deadline);
  const event = context.df.waitForExternalEvent(wait.event);
  const winner = yield context.df.Task.any(cancel ? [event, timer, cancel] : [event, timer]);
  if (winner !== timer) timer.cancel();
  if (winner === event) return { event: event.result };
  return winner === timer ? { timedOut: true } : undefined;
}

/** Waits for a task whatever its outcome. */
function* settle(task: Task): Generator<Task, void, unknown> {
  try {
    yield task;
  } catch {
    // Its failure no longer matters: the job is being cancelled.
  }
}

/**
 * Runs a lifecycle job's tasks in order, each an idempotent activity. The first failure fails
 * the job; a cancel (cancellable operations only) undoes what the job made; both release the item.
 */
export const runJob: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<RunJobInput>();
  const cancel = input.cancellable ? context.df.waitForExternalEvent(cancelEventName) : undefined;
  let step: Step = { kind: "ok" };
  for (const task of input.tasks) {
    step = yield* runTask(context, input, task, cancel);
    if (step.kind !== "ok") break;
  }
  if (step.kind === "ok") {
    const done = (yield context.df.callActivityWithRetry(activityNames.finishJob, retry, input)) as ActivityOutcome;
    if (done.ok) return "Succeeded";
    step = { kind: "failed", error: done.error };
  }
  if (step.kind === "cancelled") {
    yield context.df.callActivityWithRetry(activityNames.cancelJob, retry, input);
    return "Cancelled";
  }
  yield context.df.callActivityWithRetry(activityNames.failJob, retry, {
    ...input,
    task: step.task,
    error: step.error,
  });
  return "Failed";
};

df.app.orchestration(runJobName, runJob);

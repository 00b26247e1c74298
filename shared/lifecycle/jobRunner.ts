import type { ControlPlaneDeps } from "../controlPlane/deps";
import { changeItem, itemState, withState } from "../controlPlane/items";
import { changeJob, getJob } from "../controlPlane/jobStore";
import { errors } from "../domain/errors";
import { cancelStopsTask } from "../domain/jobCancellation";
import type { ItemState } from "../domain/itemState";
import {
  completeOperation,
  enableMigrationFailed,
  enableMigrationSucceeded,
  itemRemoved,
  type OperationOutcome,
} from "../domain/itemTransitions";
import { isPlanOperation, type JobOperation } from "../domain/jobTasks";
import type { ItemRow } from "../storage/rows";
import {
  cancelJob,
  completeTask,
  failJob,
  failTask,
  startTask,
  succeedJob,
  type Job,
  type JobError,
} from "../domain/jobs";
import { ok, unwrap, type Result } from "../domain/result";
import { attributeNames, inSpan, measureJob, spanNames } from "../telemetry";
import { taskRegistry } from "./taskRegistry";
import type { JobRef, TaskResume, TaskWait } from "./taskTypes";

/** The task was not started: a cancel was recorded on the job first. */
export interface TaskNotStarted {
  cancelRequested: true;
}

/**
 * Runs one task of a job: marks it started, does the work, marks it done — or returns what it
 * waits for. Done tasks are not redone. The start is decided under the job's ETag, against a cancel.
 */
export function runJobTask(
  deps: ControlPlaneDeps,
  ref: JobRef & { task: string; resumed?: TaskResume },
): Promise<TaskWait | TaskNotStarted | undefined> {
  const attributes = {
    [attributeNames.projectId]: ref.projectId,
    [attributeNames.itemId]: ref.itemId,
    [attributeNames.jobId]: ref.jobId,
    [attributeNames.task]: ref.task,
  };
  return inSpan(spanNames.jobTask, attributes, async (span) => {
    const result = await runTask(deps, ref, (operation) => span.setAttribute(attributeNames.operation, operation));
    span.setAttribute(
      attributeNames.outcome,
      result === undefined ? "done" : "cancelRequested" in result ? "notStarted" : "waiting",
    );
    return result;
  });
}

async function runTask(
  deps: ControlPlaneDeps,
  ref: JobRef & { task: string; resumed?: TaskResume },
  named: (operation: string) => void,
): Promise<TaskWait | TaskNotStarted | undefined> {
  const job = await getJob(deps, ref.projectId, ref.jobId);
  const task = job.tasks.find((t) => t.name === ref.task);
  named(job.operation);
  if (!task) throw errors.invalidInput(`Job ${job.id} has no task '${ref.task}'.`, "task");
  if (task.state === "Succeeded" || task.state === "Skipped") return undefined;
  const work = taskRegistry[job.operation]?.tasks[ref.task];
  if (!work) throw errors.internal();
  let stopped = false;
  await changeJob(deps, ref.projectId, ref.jobId, (j) => {
    stopped = cancelStopsTask(j, ref.task);
    return stopped ? ok(j) : startTask(j, ref.task, deps.now());
  });
  if (stopped) return { cancelRequested: true };
  const outcome = await work(deps, ref);
  if (typeof outcome === "object") return outcome;
  await changeJob(deps, ref.projectId, ref.jobId, (j) => completeTask(j, ref.task, deps.now(), outcome));
  return undefined;
}

/**
 * Ends a job: the item is settled and released first, then the job shows its end — so whoever
 * sees the job finished can start the next operation at once. A change the job refuses (e.g. it
 * ended otherwise already) is refused before the item is touched; a rerun finds the item settled.
 */
async function endJob(
  deps: ControlPlaneDeps,
  ref: JobRef,
  outcome: OperationOutcome,
  change: (job: Job) => Result<Job>,
): Promise<void> {
  const job = await getJob(deps, ref.projectId, ref.jobId);
  unwrap(change(job));
  await settleItem(deps, ref, job.operation, outcome);
  await changeJob(deps, ref.projectId, ref.jobId, change);
  measureJob(job.operation, outcome, Math.max(0, deps.now().getTime() - Date.parse(job.createTime)) / 1000);
}

/** The job succeeded: settle the item's state and release it. */
export async function finishJob(deps: ControlPlaneDeps, ref: JobRef): Promise<void> {
  await endJob(deps, ref, "Succeeded", (j) => succeedJob(j, deps.now()));
}

/** The job failed (in `task`, if known): record why, move the item to its failed state, release it. */
export async function failJobRun(
  deps: ControlPlaneDeps,
  ref: JobRef & { task?: string; error: JobError },
): Promise<void> {
  await endJob(deps, ref, "Failed", (j) =>
    ref.task && j.tasks.some((t) => t.name === ref.task)
      ? failTask(j, ref.task, deps.now(), ref.error)
      : failJob(j, deps.now(), ref.error),
  );
}

/** Undoes what a cancelled job made: its operation's compensation, if it has one. */
export async function compensateRun(deps: ControlPlaneDeps, ref: JobRef): Promise<void> {
  const job = await getJob(deps, ref.projectId, ref.jobId);
  await taskRegistry[job.operation]?.compensation?.(deps, ref);
}

/** Undoes what a failed job must not leave behind (a migration's VM, point, instruction): a retry starts clean. */
export async function cleanUpFailedRun(deps: ControlPlaneDeps, ref: JobRef): Promise<void> {
  const job = await getJob(deps, ref.projectId, ref.jobId);
  await taskRegistry[job.operation]?.failureCleanup?.(deps, ref);
}

/** The job was cancelled after its compensations ran: the item goes back to where it was. */
export async function cancelJobRun(deps: ControlPlaneDeps, ref: JobRef): Promise<void> {
  await endJob(deps, ref, "Cancelled", (j) => cancelJob(j, deps.now()));
}

function settled(row: ItemRow, operation: JobOperation, outcome: OperationOutcome): ItemState | typeof itemRemoved {
  const state = itemState(row);
  if (operation === "EnableMigration") {
    const moved = outcome === "Succeeded" ? enableMigrationSucceeded(state) : enableMigrationFailed(state);
    return moved.ok ? moved.value : state;
  }
  if (operation === "VerifyRecoveryPoint" || isPlanOperation(operation)) return state;
  const done = completeOperation(state, operation, outcome);
  return done.ok ? done.value : state;
}

/** Applies the operation's outcome to the item and releases it; a removed item's rows go. */
async function settleItem(
  deps: ControlPlaneDeps,
  ref: JobRef,
  operation: JobOperation,
  outcome: OperationOutcome,
): Promise<void> {
  const row = await deps.stores.items.get(ref.projectId, ref.itemId);
  if (!row || row.value.currentJobId !== ref.jobId) return;
  const next = settled(row.value, operation, outcome);
  if (next === itemRemoved) {
    await deps.stores.machineClaims.delete(ref.projectId, row.value.machineId);
    await deps.stores.items.delete(ref.projectId, ref.itemId);
    return;
  }
  await changeItem(deps, ref.projectId, ref.itemId, (current) =>
    current.currentJobId === ref.jobId
      ? { ...withState(current, next, deps.now()), currentJobId: undefined }
      : undefined,
  );
}

import type { ControlPlaneDeps } from "../controlPlane/deps";
import { changeItem, itemState, withState } from "../controlPlane/items";
import { changeJob, getJob } from "../controlPlane/jobStore";
import { errors } from "../domain/errors";
import { enableMigrationFailed } from "../domain/itemTransitions";
import { completeTask, failJob, failTask, startTask, succeedJob, type JobError } from "../domain/jobs";
import { taskWork, type JobRef } from "./taskWork";

/** Runs one task of a job: marks it started, does the work, marks it done. Done tasks are not redone. */
export async function runJobTask(deps: ControlPlaneDeps, ref: JobRef & { task: string }): Promise<void> {
  const job = await getJob(deps, ref.projectId, ref.jobId);
  const task = job.tasks.find((t) => t.name === ref.task);
  if (!task) throw errors.invalidInput(`Job ${job.id} has no task '${ref.task}'.`, "task");
  if (task.state === "Succeeded" || task.state === "Skipped") return;
  const work = taskWork[job.operation]?.[ref.task];
  if (!work) throw errors.internal();
  await changeJob(deps, ref.projectId, ref.jobId, (j) => startTask(j, ref.task, deps.now()));
  const note = await work(deps, ref);
  await changeJob(deps, ref.projectId, ref.jobId, (j) => completeTask(j, ref.task, deps.now(), note));
}

/** The job succeeded: release the item. */
export async function finishJob(deps: ControlPlaneDeps, ref: JobRef): Promise<void> {
  await changeJob(deps, ref.projectId, ref.jobId, (j) => succeedJob(j, deps.now()));
  await changeItem(deps, ref.projectId, ref.itemId, (row) => (row.currentJobId === ref.jobId ? { ...row, currentJobId: undefined } : undefined));
}

/** The job failed (in `task`, if known): record why, move the item to its failed state, release it. */
export async function failJobRun(deps: ControlPlaneDeps, ref: JobRef & { task?: string; error: JobError }): Promise<void> {
  const job = await changeJob(deps, ref.projectId, ref.jobId, (j) =>
    ref.task && j.tasks.some((t) => t.name === ref.task) ? failTask(j, ref.task, deps.now(), ref.error) : failJob(j, deps.now(), ref.error));
  await changeItem(deps, ref.projectId, ref.itemId, (row) => {
    if (row.currentJobId !== ref.jobId) return undefined;
    const moved = job.operation === "EnableMigration" ? enableMigrationFailed(itemState(row)) : undefined;
    const state = moved?.ok ? moved.value : itemState(row);
    return { ...withState(row, state, deps.now()), currentJobId: undefined };
  });
}

/**
 * How a plan's job ends: the items and the plan are released first, then the job shows its end
 * (so whoever sees it ended may start the next operation at once). A cancel undoes what the job made.
 */
import { changeItem, itemState, withState } from "../controlPlane/items";
import { changeJob, getJob } from "../controlPlane/jobStore";
import { completeOperation, itemRemoved, startOperation } from "../domain/itemTransitions";
import { cancelJob, failJob, failTask, type Job, type JobError } from "../domain/jobs";
import { succeedPlanJob } from "../domain/planJobs";
import { ok } from "../domain/result";
import { removeTestVm } from "../lifecycle/tasks/testMigrateCleanup";
import type { PlanDeps } from "./deps";
import { releasePlanItems, type PlanJobRef } from "./planRun";

/** Succeeds the job, unless a cancel was recorded first: then false, and the caller cancels instead. */
export async function finishPlanJob(deps: PlanDeps, ref: PlanJobRef): Promise<boolean> {
  if ((await getJob(deps, ref.projectId, ref.jobId)).cancelRequestedTime !== undefined) return false;
  await releasePlanItems(deps, ref);
  let cancelled = false;
  await changeJob(deps, ref.projectId, ref.jobId, (job) => {
    cancelled = job.cancelRequestedTime !== undefined && job.state !== "Succeeded";
    return cancelled ? ok(job) : succeedPlanJob(job, deps.now());
  });
  return !cancelled;
}

/** Fails the job in `task` (if known): later tasks never start. */
export async function failPlanJob(deps: PlanDeps, ref: PlanJobRef & { task?: string; error: JobError }) {
  await releasePlanItems(deps, ref);
  await changeJob(deps, ref.projectId, ref.jobId, (job) =>
    job.state === "Failed"
      ? ok(job)
      : ref.task && job.tasks.some((t) => t.name === ref.task)
        ? failTask(job, ref.task, deps.now(), ref.error)
        : failJob(job, deps.now(), ref.error),
  );
}

/**
 * A cancelled drill removes the test VMs its items made, as an item's cancel does, and the items
 * are back to no test migration. (A plan migration is cancelled only before its first item starts.)
 */
export async function cancelPlanJob(deps: PlanDeps, ref: PlanJobRef): Promise<void> {
  const job = await getJob(deps, ref.projectId, ref.jobId);
  if (job.operation === "RecoveryPlanTestMigrate") await undoDrills(deps, ref, job);
  await releasePlanItems(deps, ref);
  await changeJob(deps, ref.projectId, ref.jobId, (current) => cancelJob(current, deps.now()));
}

async function undoDrills(deps: PlanDeps, ref: PlanJobRef, job: Job): Promise<void> {
  for (const task of job.tasks) {
    if (task.kind !== "Item" || !task.itemId || !task.jobId) continue;
    const itemId = task.itemId;
    if (!(await deps.stores.items.get(ref.projectId, itemId))) continue;
    await removeTestVm(deps, { projectId: ref.projectId, jobId: task.jobId, itemId });
    await changeItem(deps, ref.projectId, itemId, (row) => {
      const state = itemState(row);
      if (state.testMigrateState !== "TestMigrationSucceeded" && state.testMigrateState !== "TestMigrationFailed")
        return undefined;
      // What a cleanup would do: the drill's state goes back to None.
      const cleaning = startOperation(state, "TestMigrateCleanup");
      const cleaned = cleaning.ok ? completeOperation(cleaning.value, "TestMigrateCleanup", "Succeeded") : cleaning;
      return cleaned.ok && cleaned.value !== itemRemoved ? withState(row, cleaned.value, deps.now()) : undefined;
    });
  }
}

/**
 * The steps of a plan's job, each one idempotent activity work (activities run at least once).
 * Each task's start is decided on the job row under its ETag against a cancel, as an item's are.
 */
import { changeItem } from "../controlPlane/items";
import { changeJob, getJob } from "../controlPlane/jobStore";
import { isFerryError } from "../domain/errors";
import { cancelStopsTask } from "../domain/jobCancellation";
import { planItemOperation } from "../domain/planJobs";
import type { PlanOperation } from "../domain/jobTasks";
import {
  addJobWarning,
  annotateTask,
  completeTask,
  markTaskFailed,
  startTask,
  waitForAction,
  type Job,
  type JobError,
} from "../domain/jobs";
import { ok } from "../domain/result";
import { beginOperation } from "../lifecycle/beginOperation";
import type { OperationParameters } from "../lifecycle/taskTypes";
import type { PlanDeps } from "./deps";
import { releasePlan } from "./beginPlanOperation";
import type { PlanParameters } from "./planParameters";

export interface PlanJobRef {
  projectId: string;
  jobId: string;
  planId: string;
}

/** Starts a task unless a cancel was recorded first. */
export async function startPlanTask(deps: PlanDeps, ref: PlanJobRef & { task: string }): Promise<boolean> {
  let stopped = false;
  await changeJob(deps, ref.projectId, ref.jobId, (job) => {
    stopped = cancelStopsTask(job, ref.task);
    return stopped ? ok(job) : startTask(job, ref.task, deps.now());
  });
  return !stopped;
}

export async function completePlanTask(deps: PlanDeps, ref: PlanJobRef & { task: string; note?: string }) {
  await changeJob(deps, ref.projectId, ref.jobId, (job) => completeTask(job, ref.task, deps.now(), ref.note));
}

/** A manual action: the task waits with its instructions until an operator resumes the job. */
export async function waitForOperator(deps: PlanDeps, ref: PlanJobRef & { task: string; instructions: string }) {
  await changeJob(deps, ref.projectId, ref.jobId, (job) => waitForAction(job, ref.task, deps.now(), ref.instructions));
}

/** A step failed and the plan goes on (`continueOnError`): the task shows it, the job warns. */
export async function failStepAndContinue(deps: PlanDeps, ref: PlanJobRef & { task: string; error: JobError }) {
  await changeJob(deps, ref.projectId, ref.jobId, (job) => {
    const failed = markTaskFailed(job, ref.task, deps.now(), ref.error);
    const warning = `'${ref.task}' failed (${ref.error.message}); the plan went on (continueOnError).`;
    return failed.ok ? ok(addJobWarning(failed.value, warning)) : failed;
  });
}

/**
 * Starts one item's own operation as a job of its own (the plan's job holds the item, so only it
 * may), once: a rerun finds the job it recorded on its task, or the one the item already runs for it.
 */
export async function beginPlanItem(
  deps: PlanDeps,
  ref: PlanJobRef & { task: string; itemId: string; operation: PlanOperation; parameters: PlanParameters },
): Promise<{ job: Job; parameters: OperationParameters }> {
  const planJob = await getJob(deps, ref.projectId, ref.jobId);
  const recorded = planJob.tasks.find((t) => t.name === ref.task)?.jobId;
  const existing = recorded ?? (await runningForPlan(deps, ref));
  const { startAt: _at, maxDowntimeSeconds: _max, ...own } = ref.parameters;
  const parameters: OperationParameters = { ...own, planJobId: ref.jobId };
  const child = existing
    ? await getJob(deps, ref.projectId, existing)
    : await beginOperation(deps, ref.projectId, ref.itemId, planItemOperation[ref.operation], parameters);
  await changeJob(deps, ref.projectId, ref.jobId, (job) =>
    ok(annotateTask(job, ref.task, { jobId: child.id, note: `Runs as job ${child.id} (${child.displayName}).` })),
  );
  return { job: child, parameters };
}

async function runningForPlan(deps: PlanDeps, ref: PlanJobRef & { itemId: string }): Promise<string | undefined> {
  const row = await deps.stores.items.get(ref.projectId, ref.itemId);
  const current = row?.value.currentJobId;
  if (!current) return undefined;
  const job = await getJob(deps, ref.projectId, current).catch(() => undefined);
  return job?.parameters?.planJobId === ref.jobId ? job.id : undefined;
}

/** How the item's job ended, on the plan's task: done, or the item's errors. */
export async function endPlanItem(
  deps: PlanDeps,
  ref: PlanJobRef & { task: string; childJobId: string },
): Promise<JobError | undefined> {
  const child = await getJob(deps, ref.projectId, ref.childJobId);
  if (child.state === "Succeeded") {
    const last = [...child.tasks].reverse().find((t) => t.note !== undefined && t.state === "Succeeded")?.note;
    await completePlanTask(deps, { ...ref, note: `Job ${child.id} succeeded.${last ? ` ${last}` : ""}` });
    return undefined;
  }
  const cause = child.errors[0] ?? child.tasks.flatMap((t) => t.errors)[0];
  return {
    code: cause?.code ?? "ItemJobFailed",
    message: `Job ${child.id} (${child.displayName}) ended ${child.state}${cause ? `: ${cause.message}` : "."}`,
  };
}

/** Releases every item and the plan from the job (at its end); items a completion removed are gone already. */
export async function releasePlanItems(deps: PlanDeps, ref: PlanJobRef): Promise<void> {
  const job = await getJob(deps, ref.projectId, ref.jobId);
  const items = job.tasks.flatMap((task) => (task.kind === "Item" && task.itemId ? [task.itemId] : []));
  for (const itemId of items) {
    if (!(await deps.stores.items.get(ref.projectId, itemId))) continue;
    await changeItem(deps, ref.projectId, itemId, (row) =>
      row.planJobId === ref.jobId ? { ...row, planJobId: undefined, updatedAt: deps.now().toISOString() } : undefined,
    ).catch(goneIsFine);
  }
  await releasePlan(deps, ref.projectId, ref.planId, ref.jobId);
}

function goneIsFine(error: unknown): undefined {
  if (isFerryError(error) && error.code === "NotFound") return undefined;
  throw error;
}

import { finalSyncEstimate, itemState } from "../controlPlane/items";
import { getJob, insertJob } from "../controlPlane/jobStore";
import { errors, isFerryError } from "../domain/errors";
import { overBudget, type DowntimeEstimate } from "../domain/finalSyncEstimate";
import type { PlanOperation } from "../domain/jobTasks";
import type { Job } from "../domain/jobs";
import {
  checkNoneBlocking,
  createPlanJob,
  planSteps,
  type PlanGroupSteps,
  type PlanItemState,
} from "../domain/planJobs";
import { planItems } from "../domain/recoveryPlans";
import { unwrap } from "../domain/result";
import { checkChosenPoint } from "../lifecycle/failover/checkPoint";
import { updateRow } from "../storage/optimistic";
import type { ItemRow } from "../storage/rows";
import type { Versioned } from "../storage/tableStore";
import type { PlanDeps } from "./deps";
import { getPlan, runningPlanJob, type StoredPlan } from "./planStore";
import type { PlanParameters } from "./planParameters";

type ItemRows = Map<string, Versioned<ItemRow> | undefined>;

async function readItems(deps: PlanDeps, plan: StoredPlan): Promise<ItemRows> {
  const ids = planItems(plan);
  const rows = await Promise.all(ids.map((id) => deps.stores.items.get(plan.projectId, id)));
  return new Map(ids.map((id, at) => [id, rows[at]]));
}

function itemStates(rows: ItemRows): PlanItemState[] {
  return [...rows].map(([itemId, found]) => ({
    itemId,
    name: found?.value.machineName ?? itemId,
    ...(found ? { state: itemState(found.value) } : {}),
    ...(found?.value.planJobId || found?.value.currentJobId
      ? { heldBy: found.value.planJobId ?? found.value.currentJobId }
      : {}),
  }));
}

/** Refuses a migration whose final sync would not fit `maxDowntimeSeconds`, before any source is touched. */
export async function checkDowntimeBudget(
  deps: PlanDeps,
  projectId: string,
  rows: ReadonlyArray<{ itemId: string; row: ItemRow }>,
  maxDowntimeSeconds: number,
): Promise<void> {
  const estimates: DowntimeEstimate[] = await Promise.all(
    rows.map(async ({ itemId, row }) => ({
      itemId,
      name: row.machineName,
      estimatedFinalSyncSeconds: (await finalSyncEstimate(deps, projectId, row)) ?? null,
    })),
  );
  const over = overBudget(estimates, maxDowntimeSeconds);
  if (over.length > 0) throw errors.downtimeBudgetExceeded(maxDowntimeSeconds, over);
}

/** What the request names, checked on every item before anything changes. */
async function checkRequest(deps: PlanDeps, plan: StoredPlan, rows: ItemRows, parameters: PlanParameters) {
  const present = [...rows].flatMap(([itemId, found]) => (found ? [{ itemId, row: found.value }] : []));
  if (parameters.maxDowntimeSeconds !== undefined)
    await checkDowntimeBudget(deps, plan.projectId, present, parameters.maxDowntimeSeconds);
  if (parameters.recoveryPoint !== undefined) {
    for (const { itemId } of present) await checkChosenPoint(deps, plan.projectId, itemId, parameters.recoveryPoint);
  }
}

/** Attempts at the items' claim before a conflict is answered: heartbeats change item rows every few seconds. */
const CLAIM_ATTEMPTS = 10;

/**
 * Claims every item for the plan's job at once: one table transaction over the project's items
 * partition, each row under the ETag it was read with — all are held or none is. A row changed since it
 * was read (a heartbeat) is read again, checked again, and the whole claim tried again.
 */
async function claimItems(deps: PlanDeps, plan: StoredPlan, read: ItemRows, job: Job): Promise<void> {
  let rows = read;
  for (let attempt = 1; ; attempt++) {
    const now = deps.now().toISOString();
    const claims = [...rows].flatMap(([rowKey, found]) =>
      found ? [{ rowKey, etag: found.etag, value: { ...found.value, planJobId: job.id, updatedAt: now } }] : [],
    );
    try {
      return await deps.stores.items.replaceAll(plan.projectId, claims);
    } catch (error) {
      if (!isFerryError(error) || error.code !== "PreconditionFailed" || attempt >= CLAIM_ATTEMPTS) throw error;
      rows = await readItems(deps, plan);
      unwrap(checkNoneBlocking(itemStates(rows), job.operation as PlanOperation));
    }
  }
}

/** Marks the plan as run by the job; another job's claim (a concurrent request) refuses this one. */
async function claimPlan(deps: PlanDeps, plan: StoredPlan, jobId: string, operation: PlanOperation) {
  await updateRow(deps.stores.recoveryPlans, plan.projectId, plan.id, (row) => {
    if (row.currentJobId === jobId) return undefined;
    if (row.currentJobId !== plan.currentJobId) throw errors.operationInProgress(row.currentJobId ?? "", operation);
    return { ...row, currentJobId: jobId };
  });
}

/**
 * Starts a plan operation: every item must be able to take part (else 409 OperationNotAllowed
 * naming them), the request's budget and point must hold, then the job row, the plan and its
 * items claimed. A refusal changes nothing. The caller starts the orchestration.
 */
export async function beginPlanOperation(
  deps: PlanDeps,
  projectId: string,
  planId: string,
  operation: PlanOperation,
  parameters: PlanParameters = {},
): Promise<{ job: Job; groups: PlanGroupSteps[] }> {
  const plan = await getPlan(deps, projectId, planId);
  const running = await runningPlanJob(deps, plan);
  if (running) throw errors.operationInProgress(running, operation);
  const rows = await readItems(deps, plan);
  unwrap(checkNoneBlocking(itemStates(rows), operation));
  await checkRequest(deps, plan, rows, parameters);
  const itemNames = new Map([...rows].map(([id, found]) => [id, found?.value.machineName ?? id]));
  const skips = skippedItems(rows, operation);
  const job = createPlanJob({ id: deps.newId("job"), plan, operation, itemNames, skips, now: deps.now() });
  await insertJob(deps, projectId, job);
  try {
    await claimPlan(deps, plan, job.id, operation);
    try {
      await claimItems(deps, plan, rows, job);
    } catch (error) {
      await releasePlan(deps, projectId, planId, job.id);
      throw error;
    }
  } catch (error) {
    await deps.stores.jobs.delete(projectId, job.id);
    if (isFerryError(error) && error.code === "PreconditionFailed")
      unwrap(checkNoneBlocking(itemStates(await readItems(deps, plan)), operation));
    throw isFerryError(error) && error.code === "PreconditionFailed"
      ? errors.conflict("An item of the plan changed meanwhile; try again.", "items")
      : error;
  }
  // The steps the orchestration runs, named as the job's tasks; the items it skips left out.
  const groups = planSteps(plan, operation, itemNames).map((group) => ({
    ...group,
    items: group.items.filter((step) => step.kind !== "Item" || !skips.has(step.itemId)),
  }));
  return { job, groups };
}

/** Items a cleanup has nothing to do for (never drilled, e.g. a later group of a failed drill). */
function skippedItems(rows: ItemRows, operation: PlanOperation): Map<string, string> {
  if (operation !== "RecoveryPlanTestMigrateCleanup") return new Map();
  return new Map(
    [...rows].flatMap(([id, found]) =>
      found && found.value.testMigrateState === "None"
        ? [[id, "Skipped: the item has no test migration to clean up."] as const]
        : [],
    ),
  );
}

/** The plan is no longer run by the job (its end, or a refused start). */
export async function releasePlan(deps: PlanDeps, projectId: string, planId: string, jobId: string): Promise<void> {
  await updateRow(deps.stores.recoveryPlans, projectId, planId, (row) =>
    row.currentJobId === jobId ? { ...row, currentJobId: undefined } : undefined,
  );
}

/** The budget checked again when a scheduled cutover begins: the estimates may have grown since. */
export async function recheckDowntimeBudget(
  deps: PlanDeps,
  ref: { projectId: string; jobId: string; maxDowntimeSeconds: number },
): Promise<void> {
  const job = await getJob(deps, ref.projectId, ref.jobId);
  const ids = job.tasks.flatMap((task) => (task.kind === "Item" && task.itemId ? [task.itemId] : []));
  const rows = await Promise.all(ids.map((id) => deps.stores.items.get(ref.projectId, id)));
  const present = ids.flatMap((itemId, at) => {
    const row = rows[at]?.value;
    return row ? [{ itemId, row }] : [];
  });
  await checkDowntimeBudget(deps, ref.projectId, present, ref.maxDowntimeSeconds);
}

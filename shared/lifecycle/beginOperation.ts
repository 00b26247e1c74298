import type { ControlPlaneDeps } from "../controlPlane/deps";
import { changeItem, getItemRow, itemState, withState } from "../controlPlane/items";
import { insertJob } from "../controlPlane/jobStore";
import { errors } from "../domain/errors";
import type { ItemOperation } from "../domain/itemState";
import { startOperation } from "../domain/itemTransitions";
import { createJob, type Job } from "../domain/jobs";
import type { JobPlanOptions } from "../domain/jobTasks";
import { unwrap } from "../domain/result";
import { checkChosenPoint } from "./failover/checkPoint";
import type { OperationParameters } from "./taskTypes";

/**
 * Starts a lifecycle operation on an item: the state machine's guard, then what the request names
 * (a recovery point), then the job row, then the item claimed for that job under its ETag — of two
 * concurrent requests exactly one wins, the other sees the holder's job. A refusal changes nothing.
 * The caller starts the orchestration (instance id = job id).
 */
export async function beginOperation(
  deps: ControlPlaneDeps,
  projectId: string,
  itemId: string,
  operation: ItemOperation,
  parameters: OperationParameters = {},
): Promise<Job> {
  const before = await getItemRow(deps, projectId, itemId);
  // A recovery plan's job holds its items: only that job starts operations on them.
  const heldByPlan = (planJobId?: string) => planJobId !== undefined && planJobId !== parameters.planJobId;
  if (heldByPlan(before.planJobId)) throw errors.operationInProgress(before.planJobId ?? "", operation);
  if (before.currentJobId) throw errors.operationInProgress(before.currentJobId, operation);
  unwrap(startOperation(itemState(before), operation));
  if (parameters.recoveryPoint !== undefined) await checkChosenPoint(deps, projectId, itemId, parameters.recoveryPoint);
  const options: JobPlanOptions = { shutdownSource: parameters.shutdownSource };
  const job = createJob({
    id: deps.newId("job"),
    operation,
    itemId,
    now: deps.now(),
    options,
    ...(parameters.planJobId === undefined ? {} : { parameters: { planJobId: parameters.planJobId } }),
  });
  await insertJob(deps, projectId, job);
  try {
    await changeItem(deps, projectId, itemId, (row) => {
      // Our claim landed and its answer was lost: storage's resend found the ETag it had moved.
      if (row.currentJobId === job.id) return undefined;
      if (heldByPlan(row.planJobId)) throw errors.operationInProgress(row.planJobId ?? "", operation);
      if (row.currentJobId) throw errors.operationInProgress(row.currentJobId, operation);
      const next = unwrap(startOperation(itemState(row), operation));
      return { ...withState(row, next, deps.now()), currentJobId: job.id };
    });
  } catch (error) {
    await deps.stores.jobs.delete(projectId, job.id);
    throw error;
  }
  return job;
}

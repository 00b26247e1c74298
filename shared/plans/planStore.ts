import { getJob } from "../controlPlane/jobStore";
import { getProject } from "../controlPlane/projects";
import { errors } from "../domain/errors";
import { isJobFinished } from "../domain/jobs";
import { checkGroups, normalizeGroups, type PlanGroupInput, type RecoveryPlan } from "../domain/recoveryPlans";
import { unwrap } from "../domain/result";
import { columns } from "../storage/columns";
import { updateRow } from "../storage/optimistic";
import type { RecoveryPlanRow } from "../storage/rows";
import type { PlanDeps } from "./deps";
import { newPlanSecret, planSecretName } from "./planSecrets";
import { checkPlanWebhooks } from "./webhookTargets";

export interface StoredPlan extends RecoveryPlan {
  readonly projectId: string;
  readonly currentJobId?: string;
}

export interface PlanFields {
  name: string;
  description?: string;
  groups: readonly PlanGroupInput[];
}

function toPlan(projectId: string, id: string, row: RecoveryPlanRow): StoredPlan {
  return {
    id,
    projectId,
    name: row.name,
    ...(row.description === undefined ? {} : { description: row.description }),
    groups: columns.planGroups.parse(row.groups),
    createTime: row.createdAt,
    updateTime: row.updatedAt,
    ...(row.currentJobId === undefined ? {} : { currentJobId: row.currentJobId }),
  };
}

/** The groups as stored: names filled in, each item one of the project's, each webhook one Ferry may call. */
async function checkedGroups(deps: PlanDeps, projectId: string, groups: readonly PlanGroupInput[]) {
  const normalized = unwrap(checkGroups(normalizeGroups(groups)));
  for (const [index, group] of normalized.entries()) {
    for (const [at, itemId] of group.items.entries()) {
      if (!(await deps.stores.items.get(projectId, itemId)))
        throw errors.invalidInput(
          `Item ${itemId} is not a replicating server of this project.`,
          `groups[${index}].items[${at}]`,
        );
    }
  }
  await checkPlanWebhooks(normalized, deps.config.webhookAllowedHosts);
  return normalized;
}

/** A new plan and its webhook signing secret (kept in the vault, returned this once). */
export async function createPlan(
  deps: PlanDeps,
  projectId: string,
  fields: PlanFields,
): Promise<{ plan: StoredPlan; webhookSecret: string }> {
  await getProject(deps, projectId);
  const groups = await checkedGroups(deps, projectId, fields.groups);
  const id = deps.newId("recoveryPlan");
  const now = deps.now().toISOString();
  // The secret first: a plan row is never without its secret.
  const webhookSecret = await newPlanSecret(deps.secrets, id);
  const row: RecoveryPlanRow = {
    name: fields.name,
    ...(fields.description === undefined ? {} : { description: fields.description }),
    groups: columns.planGroups.serialize(groups),
    createdAt: now,
    updatedAt: now,
  };
  await deps.stores.recoveryPlans.insert(projectId, id, row);
  return { plan: toPlan(projectId, id, row), webhookSecret };
}

export async function getPlan(deps: PlanDeps, projectId: string, planId: string): Promise<StoredPlan> {
  await getProject(deps, projectId);
  const found = await deps.stores.recoveryPlans.get(projectId, planId);
  if (!found) throw errors.notFound("RecoveryPlan", planId);
  return toPlan(projectId, planId, found.value);
}

export async function listPlans(deps: PlanDeps, projectId: string): Promise<StoredPlan[]> {
  await getProject(deps, projectId);
  const out: StoredPlan[] = [];
  for await (const found of deps.stores.recoveryPlans.partition(projectId))
    out.push(toPlan(projectId, found.rowKey, found.value));
  return out;
}

/** The plan's running job, if one is; a job that ended without releasing the plan does not count. */
export async function runningPlanJob(deps: PlanDeps, plan: StoredPlan): Promise<string | undefined> {
  if (plan.currentJobId === undefined) return undefined;
  const job = await getJob(deps, plan.projectId, plan.currentJobId).catch(() => undefined);
  return job && !isJobFinished(job) ? job.id : undefined;
}

/** Replaces what `fields` names; refused while a plan job runs. */
export async function updatePlan(
  deps: PlanDeps,
  projectId: string,
  planId: string,
  fields: Partial<PlanFields>,
): Promise<StoredPlan> {
  const plan = await getPlan(deps, projectId, planId);
  const running = await runningPlanJob(deps, plan);
  if (running) throw errors.operationInProgress(running, "Changing the recovery plan");
  const groups = fields.groups === undefined ? undefined : await checkedGroups(deps, projectId, fields.groups);
  const updated = await updateRow(deps.stores.recoveryPlans, projectId, planId, (row) => {
    if (row.currentJobId !== plan.currentJobId) throw errors.conflict("The plan changed meanwhile; try again.");
    return {
      ...row,
      ...(fields.name === undefined ? {} : { name: fields.name }),
      ...(fields.description === undefined ? {} : { description: fields.description }),
      ...(groups === undefined ? {} : { groups: columns.planGroups.serialize(groups) }),
      updatedAt: deps.now().toISOString(),
    };
  });
  if (!updated) throw errors.notFound("RecoveryPlan", planId);
  return toPlan(projectId, planId, updated);
}

/** Deletes the plan and its secret; refused while a plan job runs. The plan's jobs stay. */
export async function deletePlan(deps: PlanDeps, projectId: string, planId: string): Promise<void> {
  const found = await deps.stores.recoveryPlans.get(projectId, planId);
  if (!found) throw errors.notFound("RecoveryPlan", planId);
  const running = await runningPlanJob(deps, toPlan(projectId, planId, found.value));
  if (running) throw errors.operationInProgress(running, "Deleting the recovery plan");
  if (!(await deps.stores.recoveryPlans.deleteIfUnchanged(projectId, planId, found.etag)))
    throw errors.conflict("The plan changed meanwhile; try again.");
  await deps.secrets.remove(planSecretName(planId));
}

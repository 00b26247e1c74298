import { errors } from "../domain/errors";
import { defaultPolicy, type ReplicationPolicySettings } from "../domain/policy";
import type { PolicyRow } from "../storage/rows";
import type { ControlPlaneDeps } from "./deps";
import { getProject } from "./projects";

export interface Policy extends ReplicationPolicySettings {
  id: string;
  projectId: string;
  createdAt: string;
}

function view(projectId: string, id: string, row: PolicyRow): Policy {
  return { id, projectId, ...row };
}

export async function createPolicy(
  deps: ControlPlaneDeps,
  projectId: string,
  settings: ReplicationPolicySettings,
): Promise<Policy> {
  await getProject(deps, projectId);
  const id = deps.newId("policy");
  const row: PolicyRow = { ...settings, createdAt: deps.now().toISOString() };
  await deps.stores.policies.insert(projectId, id, row);
  return view(projectId, id, row);
}

/** The project's policies; a project without any gets the default policy on first look. */
export async function listPolicies(deps: ControlPlaneDeps, projectId: string): Promise<Policy[]> {
  const project = await getProject(deps, projectId);
  const out: Policy[] = [];
  for await (const row of deps.stores.policies.partition(projectId)) out.push(view(projectId, row.rowKey, row.value));
  if (out.length > 0) return out;
  const created = view(projectId, deps.newId("policy"), { ...defaultPolicy, createdAt: project.createdAt });
  await deps.stores.policies.insert(projectId, created.id, { ...defaultPolicy, createdAt: created.createdAt });
  return [created];
}

export async function getPolicy(deps: ControlPlaneDeps, projectId: string, policyId: string): Promise<Policy> {
  const found = await deps.stores.policies.get(projectId, policyId);
  if (!found) throw errors.notFound("Policy", policyId);
  return view(projectId, policyId, found.value);
}

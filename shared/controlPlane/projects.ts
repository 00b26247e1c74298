import { errors } from "../domain/errors";
import { updateRow } from "../storage/optimistic";
import type { ProjectRow } from "../storage/rows";
import type { ControlPlaneDeps } from "./deps";

export interface Project {
  id: string;
  name: string;
  geography: string;
  targetRegion: string;
  createdAt: string;
  targetRegionLocked: boolean;
}

export interface NewProject {
  name: string;
  geography: string;
  targetRegion: string;
}

const partition = "project";

function view(id: string, row: ProjectRow): Project {
  return { id, ...row };
}

export async function createProject(deps: ControlPlaneDeps, input: NewProject): Promise<Project> {
  await deps.stores.ready();
  const id = deps.newId("project");
  const row: ProjectRow = { ...input, createdAt: deps.now().toISOString(), targetRegionLocked: false };
  await deps.stores.projects.insert(partition, id, row);
  return view(id, row);
}

export async function getProject(deps: ControlPlaneDeps, projectId: string): Promise<Project> {
  await deps.stores.ready();
  const found = await deps.stores.projects.get(partition, projectId);
  if (!found) throw errors.notFound("Project", projectId);
  return view(projectId, found.value);
}

export async function listProjects(deps: ControlPlaneDeps): Promise<Project[]> {
  await deps.stores.ready();
  const out: Project[] = [];
  for await (const row of deps.stores.projects.partition(partition)) out.push(view(row.rowKey, row.value));
  return out;
}

/** Changes the target region while no replication exists; fixed afterwards. */
export async function changeTargetRegion(
  deps: ControlPlaneDeps,
  projectId: string,
  targetRegion: string,
): Promise<Project> {
  await deps.stores.ready();
  const found = await deps.stores.projects.get(partition, projectId);
  if (!found) throw errors.notFound("Project", projectId);
  if (found.value.targetRegionLocked && found.value.targetRegion !== targetRegion) throw errors.targetRegionLocked();
  const row = { ...found.value, targetRegion };
  await deps.stores.projects.replace(partition, projectId, row, found.etag);
  return view(projectId, row);
}

/**
 * Fixes the target region: called before the first replication resource is created. Several
 * machines may start replicating at once, so a lost ETag race is retried, not reported.
 */
export async function lockTargetRegion(deps: ControlPlaneDeps, projectId: string): Promise<void> {
  const locked = await updateRow(deps.stores.projects, partition, projectId, (row) =>
    row.targetRegionLocked ? undefined : { ...row, targetRegionLocked: true },
  );
  if (!locked) throw errors.notFound("Project", projectId);
}

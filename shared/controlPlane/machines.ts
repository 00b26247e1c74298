import { errors } from "../domain/errors";
import { columns } from "../storage/columns";
import type { MachineRow } from "../storage/rows";
import type { MachineFacts } from "./agents";
import type { ControlPlaneDeps } from "./deps";
import { getProject } from "./projects";

export interface Machine extends Omit<MachineFacts, "biosId"> {
  id: string;
  projectId: string;
  applianceId: string;
  /** When the agent first registered (the published schema's name for it). */
  discoveredAt: string;
  registeredAt: string;
  updatedAt: string;
  lastHeartbeatTime?: string;
}

function view(projectId: string, id: string, row: MachineRow): Machine {
  const { identity: _identity, disks, nics, lastHeartbeatAt, ...rest } = row;
  return {
    id,
    projectId,
    ...rest,
    discoveredAt: row.registeredAt,
    lastHeartbeatTime: lastHeartbeatAt,
    disks: columns.machineDisks.parse(disks),
    nics: columns.machineNics.parse(nics),
  };
}

export async function listMachines(deps: ControlPlaneDeps, projectId: string): Promise<Machine[]> {
  await getProject(deps, projectId);
  const out: Machine[] = [];
  for await (const row of deps.stores.machines.partition(projectId)) out.push(view(projectId, row.rowKey, row.value));
  return out;
}

export async function getMachine(deps: ControlPlaneDeps, projectId: string, machineId: string): Promise<Machine> {
  await getProject(deps, projectId);
  const found = await deps.stores.machines.get(projectId, machineId);
  if (!found) throw errors.notFound("Machine", machineId);
  return view(projectId, machineId, found.value);
}

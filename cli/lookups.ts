import type { FerryClient } from "../client/ferryClient";
import type { ProjectClient } from "../client/projectClient";
import type {
  Appliance,
  Machine,
  Policy,
  Project,
  RecoveryPlan,
  RecoveryPoint,
  ReplicatingServer,
  VirtualMachine,
} from "../client/resources";
import { routes } from "../shared/api/routes";
import { pickOne } from "./nameMatch";

// Each resolver lists what the project has and picks by id or name: one request, and the error for a
// miss or an ambiguous name can list the candidates.

export async function resolveProject(client: FerryClient, text: string): Promise<Project> {
  const projects = await client.listAll(routes.listProjects);
  return pickOne(
    "project",
    text,
    projects.map((p) => ({ item: p, id: p.id, names: [p.name] })),
  );
}

export async function resolveAppliance(project: ProjectClient, text: string): Promise<Appliance> {
  const appliances = await project.listAll(routes.listAppliances);
  return pickOne(
    "appliance",
    text,
    appliances.map((a) => ({ item: a, id: a.id, names: [a.name] })),
  );
}

export async function resolveMachine(project: ProjectClient, text: string): Promise<Machine> {
  const machines = await project.listAll(routes.listMachines);
  return pickOne(
    "machine",
    text,
    machines.map((m) => ({ item: m, id: m.id, names: [m.hostname] })),
  );
}

export async function resolvePolicy(project: ProjectClient, text: string): Promise<Policy> {
  const policies = await project.listAll(routes.listPolicies);
  return pickOne(
    "policy",
    text,
    policies.map((p) => ({ item: p, id: p.id, names: [p.name] })),
  );
}

/** A replicating server by its item id, its machine's id, host name or target VM name. */
export async function resolveServer(project: ProjectClient, text: string): Promise<ReplicatingServer> {
  const servers = await project.listAll(routes.listReplicatingServers);
  const byMachineId = servers.filter((s) => s.machineId === text);
  if (byMachineId.length === 1) return byMachineId[0];
  const names = (s: ReplicatingServer) => [s.machineName, ...(s.target.vmName ? [s.target.vmName] : [])];
  return pickOne(
    "server",
    text,
    servers.map((s) => ({ item: s, id: s.id, names: names(s) })),
  );
}

export async function resolveVm(project: ProjectClient, text: string): Promise<VirtualMachine> {
  const vms = await project.listAll(routes.listVirtualMachines);
  return pickOne(
    "VM",
    text,
    vms.map((v) => ({ item: v, id: v.id, names: [v.name] })),
  );
}

/** A recovery point of a server by id, or "latest" for its newest. */
export async function resolvePoint(
  project: ProjectClient,
  server: ReplicatingServer,
  text: string | undefined,
): Promise<RecoveryPoint> {
  const points = await project.listAll(routes.listRecoveryPoints, { params: { itemId: server.id } });
  if (text === undefined || text.toLowerCase() === "latest") {
    if (points[0]) return points[0];
    return pickOne("recovery point", "latest", []);
  }
  return pickOne(
    "recovery point",
    text,
    points.map((p) => ({ item: p, id: p.id, names: [] })),
  );
}

export async function resolvePlan(project: ProjectClient, text: string): Promise<RecoveryPlan> {
  const plans = await project.listAll(routes.listRecoveryPlans);
  return pickOne(
    "plan",
    text,
    plans.map((p) => ({ item: p, id: p.id, names: [p.name] })),
  );
}

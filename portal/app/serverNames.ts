import { routes, type ProjectClient } from "../../client";

/**
 * Each server's name by item id, for jobs that name only the item: the replicating servers, and
 * for servers whose replication was completed (the item is gone), the VM their migration made.
 */
export async function serverNames(project: ProjectClient, signal: AbortSignal): Promise<Map<string, string>> {
  const [items, vms] = await Promise.all([
    project.listAll(routes.listReplicatingServers, { signal }),
    project.listAll(routes.listVirtualMachines, { signal }),
  ]);
  const names = new Map<string, string>();
  for (const vm of vms) if (vm.kind === "Migration") names.set(vm.itemId, vm.name);
  for (const item of items) names.set(item.id, item.machineName);
  return names;
}

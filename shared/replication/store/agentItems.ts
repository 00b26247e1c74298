/** Finds what an agent request names, refusing anything outside the agent's own machine and project. */
import type { AgentIdentity } from "../../controlPlane/agentAuth";
import type { ItemDisk } from "../../controlPlane/items";
import { errors } from "../../domain/errors";
import type { ItemRow } from "../../storage/rows";
import type { DataPathDeps } from "./deps";

export interface AgentItem {
  projectId: string;
  itemId: string;
  row: ItemRow;
  disks: ItemDisk[];
  epoch: number;
}

/** One replicated disk of an item: what the apply and snapshot steps need. */
export interface DiskTarget {
  projectId: string;
  itemId: string;
  diskId: string;
  sizeBytes: number;
  epoch: number;
}

export const itemEpoch = (row: ItemRow): number => row.epoch ?? 1;

/** The item, if it replicates the agent's machine; another machine's or project's item answers 404 as if absent. */
export async function itemForAgent(deps: DataPathDeps, agent: AgentIdentity, itemId: string): Promise<AgentItem> {
  await deps.stores.ready();
  const found = await deps.stores.items.get(agent.projectId, itemId);
  if (!found || found.value.machineId !== agent.machineId) throw errors.notFound("ReplicatingServer", itemId);
  return toAgentItem(agent.projectId, itemId, found.value);
}

export function toAgentItem(projectId: string, itemId: string, row: ItemRow): AgentItem {
  return { projectId, itemId, row, disks: JSON.parse(row.disks) as ItemDisk[], epoch: itemEpoch(row) };
}

export function includedDisks(item: AgentItem): ItemDisk[] {
  return item.disks.filter((d) => d.include);
}

/** A disk the item replicates: an unknown disk is 404, an excluded one 409. */
export function diskTarget(item: AgentItem, diskId: string): DiskTarget {
  const disk = item.disks.find((d) => d.diskId === diskId);
  if (!disk) throw errors.notFound("Disk", diskId);
  if (!disk.include) throw errors.diskNotReplicated(diskId);
  return { projectId: item.projectId, itemId: item.itemId, diskId, sizeBytes: disk.sizeBytes, epoch: item.epoch };
}

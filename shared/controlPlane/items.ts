import { errors } from "../domain/errors";
import { allowedOperations } from "../domain/itemState";
import { itemState } from "./itemRow";
import { columns } from "../storage/columns";
import { updateRow } from "../storage/optimistic";
import type { ItemRow } from "../storage/rows";
import type { Versioned } from "../storage/tableStore";
import type { ControlPlaneDeps } from "./deps";
import { agentFiguresOf, diskView, finalSyncEstimateOf, itemHealth } from "./itemHealth";
import { getPolicy } from "./policies";
import { getProject } from "./projects";

export { itemState, withState, type ItemDisk, type ItemTarget } from "./itemRow";

/** The replicating-servers grid row: state, what is allowed now, health and figures. */
export async function itemView(deps: ControlPlaneDeps, projectId: string, itemId: string, row: ItemRow) {
  const policy = await getPolicy(deps, projectId, row.policyId).catch(() => undefined);
  const state = itemState(row);
  const health = itemHealth(row, policy?.rpoThresholdMinutes ?? 60, deps.now());
  const figures = agentFiguresOf(row);
  const estimate = finalSyncEstimateOf(row, cycleSecondsOf(policy), deps.now());
  return {
    id: itemId,
    projectId,
    machineId: row.machineId,
    policyId: row.policyId,
    machineName: row.machineName,
    ...state,
    allowedOperations: allowedOperations(state),
    health: health.health,
    healthErrors: health.healthErrors,
    ...(row.resyncReason ? { resyncReason: row.resyncReason } : {}),
    initialSeedingProgress: row.initialSeedingProgress,
    lastRecoveryPointTime: row.lastRecoveryPointTime,
    lastProcessedPointTime: row.lastProcessedPointTime,
    rpoSeconds: health.rpoSeconds ?? row.rpoSeconds,
    lastHeartbeatTime: row.lastHeartbeatTime,
    ...(figures ? { agentFigures: figures } : {}),
    ...(estimate === undefined ? {} : { estimatedFinalSyncSeconds: estimate }),
    ...(row.throttleBytesPerSecond ? { throttleBytesPerSecond: row.throttleBytesPerSecond } : {}),
    target: columns.itemTarget.parse(row.target),
    disks: columns.itemDisks.parse(row.disks).map(diskView),
    currentJobId: row.currentJobId,
    createdAt: row.createdAt,
  };
}

function cycleSecondsOf(policy: { crashConsistentFrequencyMinutes: number } | undefined): number {
  return (policy?.crashConsistentFrequencyMinutes ?? 5) * 60;
}

/** How long the item's final sync should take now (`estimatedFinalSyncSeconds`), under its policy's cycle. */
export async function finalSyncEstimate(
  deps: ControlPlaneDeps,
  projectId: string,
  row: ItemRow,
): Promise<number | undefined> {
  const policy = await getPolicy(deps, projectId, row.policyId).catch(() => undefined);
  return finalSyncEstimateOf(row, cycleSecondsOf(policy), deps.now());
}

export async function getItemRow(deps: ControlPlaneDeps, projectId: string, itemId: string): Promise<ItemRow> {
  await getProject(deps, projectId);
  const found = await deps.stores.items.get(projectId, itemId);
  if (!found) throw errors.notFound("ReplicatingServer", itemId);
  return found.value;
}

export async function getItem(deps: ControlPlaneDeps, projectId: string, itemId: string) {
  return itemView(deps, projectId, itemId, await getItemRow(deps, projectId, itemId));
}

export async function listItems(deps: ControlPlaneDeps, projectId: string) {
  await getProject(deps, projectId);
  const rows: { id: string; row: ItemRow }[] = [];
  for await (const found of deps.stores.items.partition(projectId)) rows.push({ id: found.rowKey, row: found.value });
  return Promise.all(rows.map(({ id, row }) => itemView(deps, projectId, id, row)));
}

/** Read-modify-write of an item under its ETag; throws NotFound when it is gone. */
export async function changeItem(
  deps: ControlPlaneDeps,
  projectId: string,
  itemId: string,
  change: (row: ItemRow) => ItemRow | undefined,
  read?: Versioned<ItemRow>,
): Promise<ItemRow> {
  const updated = await updateRow(deps.stores.items, projectId, itemId, change, undefined, read);
  if (!updated) throw errors.notFound("ReplicatingServer", itemId);
  return updated;
}

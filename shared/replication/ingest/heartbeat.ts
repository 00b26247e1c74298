/**
 * An agent's heartbeat: records when it was last heard and what it reports (health reads
 * both), and answers with instructions derived from the item's state and policy.
 */
import type { HeartbeatRequest, HeartbeatResponse } from "../../api/agentData";
import type { AgentIdentity } from "../../controlPlane/agentAuth";
import { changeItem, itemState } from "../../controlPlane/items";
import { getPolicy } from "../../controlPlane/policies";
import { agentAction, diskMode, type AgentAction } from "../../domain/agentInstructions";
import { columns } from "../../storage/columns";
import type { DiskCursorRow, ItemRow } from "../../storage/rows";
import { includedDisks, toAgentItem, type AgentItem, type DataPathDeps } from "../store";
import { withResyncReports } from "./resyncReports";

type Instructions = HeartbeatResponse["instructions"];

const idle: Instructions = { action: "Idle", cycleIntervalSeconds: 300, appConsistentIntervalSeconds: 0, disks: [] };

/** The item replicating the agent's machine, as read (with its ETag), if there is one. */
async function machineItem(deps: DataPathDeps, agent: AgentIdentity) {
  const claim = await deps.stores.machineClaims.get(agent.projectId, agent.machineId);
  const found = claim ? await deps.stores.items.get(agent.projectId, claim.value.itemId) : undefined;
  if (!claim || !found || found.value.machineId !== agent.machineId) return undefined;
  return { itemId: claim.value.itemId, read: found };
}

export async function heartbeat(
  deps: DataPathDeps,
  agent: AgentIdentity,
  request: HeartbeatRequest,
): Promise<HeartbeatResponse> {
  await deps.stores.ready();
  const now = deps.now().toISOString();
  // A heartbeat waits on its storage calls one after another only where one needs the other's answer.
  const [found] = await Promise.all([
    machineItem(deps, agent),
    deps.stores.machines.mergeFields(agent.projectId, agent.machineId, { lastHeartbeatAt: now }),
  ]);
  if (!found) return { instructions: idle };
  const { resyncNeeded, problems, ...figures } = request;
  const row = await changeItem(
    deps,
    agent.projectId,
    found.itemId,
    (current) =>
      withResyncReports(
        withProblems(
          { ...current, lastHeartbeatTime: now, agentFigures: columns.itemAgentFigures.serialize(figures) },
          problems ?? [],
        ),
        resyncNeeded ?? [],
        deps.now(),
      ),
    found.read,
  );
  return { instructions: await instructionsFor(deps, toAgentItem(agent.projectId, found.itemId, row)) };
}

async function diskCursors(deps: DataPathDeps, itemId: string): Promise<Map<string, DiskCursorRow>> {
  const cursors = new Map<string, DiskCursorRow>();
  for await (const found of deps.stores.diskCursors.partition(itemId)) cursors.set(found.rowKey, found.value);
  return cursors;
}

/** The agent reports a problem in every heartbeat while it lasts: one no longer reported is over. */
function withProblems(row: ItemRow, problems: NonNullable<HeartbeatRequest["problems"]>): ItemRow {
  const { agentProblems: _last, ...rest } = row;
  return problems.length > 0 ? { ...rest, agentProblems: columns.itemAgentProblems.serialize(problems) } : rest;
}

async function instructionsFor(deps: DataPathDeps, item: AgentItem): Promise<Instructions> {
  const state = itemState(item.row);
  const action = agentAction(state, item.row.agentAction as AgentAction | undefined);
  const [policy, cursors] = await Promise.all([
    getPolicy(deps, item.projectId, item.row.policyId).catch(() => undefined),
    diskCursors(deps, item.itemId),
  ]);
  const disks = includedDisks(item).map((disk) => {
    const cursor = cursors.get(disk.diskId);
    const current = cursor !== undefined && cursor.epoch === item.epoch ? cursor : undefined;
    return {
      diskId: disk.diskId,
      sizeBytes: disk.sizeBytes,
      nextSequence: current?.nextSequence ?? 1,
      mode: diskMode(cursor?.initialCopyComplete ?? false, state),
    };
  });
  return {
    action,
    itemId: item.itemId,
    epoch: item.epoch,
    cycleIntervalSeconds:
      deps.dataPathSettings.cycleIntervalSeconds ?? (policy?.crashConsistentFrequencyMinutes ?? 5) * 60,
    appConsistentIntervalSeconds: (policy?.appConsistentFrequencyMinutes ?? 0) * 60,
    ...(item.row.throttleBytesPerSecond ? { throttleBytesPerSecond: item.row.throttleBytesPerSecond } : {}),
    ...(item.row.resyncInProgress && item.row.resyncStartedAt ? { resyncId: item.row.resyncStartedAt } : {}),
    disks,
  };
}

/**
 * The end of a replication cycle: for each disk, a snapshot of its replica if the replica holds
 * the cycle's sequence already, else a mark that has apply take it there (`pointMarks.ts`; the
 * batches are durable in the cache, so the point is too). Then ONE recovery-point row for the
 * machine (the record), then the item's figures and state. A resent cycle finds its point and
 * only redoes the idempotent last steps.
 */
import type { CycleRequest } from "../../api/agentData";
import type { AgentIdentity } from "../../controlPlane/agentAuth";
import { changeItem, itemState } from "../../controlPlane/items";
import { agentAction, type AgentAction } from "../../domain/agentInstructions";
import { errors } from "../../domain/errors";
import { pointTime } from "../../domain/pointTime";
import { unwrap } from "../../domain/result";
import {
  changeCursor,
  cyclePointId,
  diskTarget,
  includedDisks,
  itemForAgent,
  openCursor,
  replicaRef,
  type AgentItem,
  type DataPathDeps,
  type PointDisk,
} from "../store";
import { applyUnder, withReplica } from "../apply";
import { itemAfterCycle } from "./cycleFigures";
import { attributeNames, inSpan, spanNames } from "../../telemetry";
import { insertPoint } from "./insertPoint";
import { markDisk, settleMarks } from "./pointMarks";

const cycleActions: readonly AgentAction[] = ["Replicate", "FinalSync"];

export function completeCycle(
  deps: DataPathDeps,
  agent: AgentIdentity,
  itemId: string,
  request: CycleRequest,
): Promise<{ recoveryPointId: string }> {
  const attributes = {
    [attributeNames.projectId]: agent.projectId,
    [attributeNames.itemId]: itemId,
    [attributeNames.pointType]: request.type,
    [attributeNames.pointFinal]: request.final === true,
  };
  return inSpan(spanNames.cycle, attributes, async (span) => {
    const result = await cutCycle(deps, agent, itemId, request);
    span.setAttribute(attributeNames.pointId, result.recoveryPointId);
    return result;
  });
}

/** The cycle's point: each disk snapshotted or marked, then its row, then the item's figures. */
async function cutCycle(
  deps: DataPathDeps,
  agent: AgentIdentity,
  itemId: string,
  request: CycleRequest,
): Promise<{ recoveryPointId: string }> {
  const item = await itemForAgent(deps, agent, itemId);
  const pointId = cyclePointId(itemId, request.cycleId, request.sourceTime);
  const existing = await deps.stores.recoveryPoints.get(itemId, pointId);
  // A resent cycle keeps the time its point recorded; a new one is held to the server's clock first.
  const time = existing ? existing.value.time : unwrap(pointTime(request.sourceTime, deps.now()));
  const created = !existing;
  let processed = false;
  if (created) {
    const action = agentAction(itemState(item.row), item.row.agentAction as AgentAction | undefined);
    if (!cycleActions.includes(action))
      throw errors.replicationNotActive(item.row.replicationPaused ? "paused" : item.row.migrationState);
    const upTo = await cycleSequences(deps, item, request);
    const disks: PointDisk[] = [];
    for (const [diskId, sequence] of upTo) disks.push(await cutDisk(deps, item, diskId, sequence, pointId));
    await insertPoint(deps, {
      projectId: item.projectId,
      itemId,
      pointId,
      time,
      type: request.type,
      disks,
      cycleId: request.cycleId,
      final: request.final === true,
    });
    // Apply may have reached a mark before the row existed: carry its snapshot over.
    for (const disk of disks)
      if (disk.snapshot === undefined)
        await settleMarks(deps, { projectId: item.projectId, itemId, diskId: disk.diskId }, pointId);
    processed = disks.every((disk) => disk.snapshot !== undefined);
  }
  await finishCycle(deps, item, request, { created, processed, time });
  return { recoveryPointId: pointId };
}

/**
 * Each included disk's last sequence in the cycle: as listed (it must be the last acknowledged
 * one), else its current state.
 */
async function cycleSequences(
  deps: DataPathDeps,
  item: AgentItem,
  request: CycleRequest,
): Promise<Map<string, number>> {
  for (const listed of request.disks) diskTarget(item, listed.diskId);
  const upTo = new Map<string, number>();
  for (const disk of includedDisks(item)) {
    const cursor = await openCursor(deps, item.projectId, item.itemId, disk.diskId, item.epoch);
    const acked = cursor.nextSequence - 1;
    const listed = request.disks.find((d) => d.diskId === disk.diskId);
    if (listed && listed.sequence !== acked) throw errors.cycleSequenceMismatch(disk.diskId, acked);
    upTo.set(disk.diskId, acked);
  }
  return upTo;
}

/** The disk at `sequence`: marked for apply to snapshot when it gets there, or snapshotted now when it is there. */
async function cutDisk(
  deps: DataPathDeps,
  item: AgentItem,
  diskId: string,
  sequence: number,
  pointId: string,
): Promise<PointDisk> {
  const target = diskTarget(item, diskId);
  const deferred = await markDisk(deps, target, sequence, pointId);
  if (deferred) return deferred;
  const snapshot = await withReplica(deps, target, async (lease) => {
    await applyUnder(deps, target, lease, sequence);
    // A batch acknowledged since and applied first would be in the snapshot: this is no longer the cycle's state.
    const cursor = await openCursor(deps, target.projectId, target.itemId, diskId, target.epoch);
    if (cursor.appliedSequence !== sequence) throw errors.cycleSequenceMismatch(diskId, cursor.nextSequence - 1);
    return deps.replicas.snapshot(replicaRef(target.projectId, target.itemId, diskId), lease.id);
  });
  return { diskId, snapshot: snapshot as string, sizeBytes: target.sizeBytes };
}

/** Idempotent: disks leave their initial copy, the item records its newest point, churn, and the end of a copy. */
async function finishCycle(
  deps: DataPathDeps,
  item: AgentItem,
  request: CycleRequest,
  made: { created: boolean; processed: boolean; time: string },
): Promise<void> {
  if (request.initialCopyComplete) {
    for (const disk of includedDisks(item)) {
      await changeCursor(deps, item.itemId, disk.diskId, (row) =>
        row.initialCopyComplete ? undefined : { ...row, initialCopyComplete: true },
      );
    }
  }
  await changeItem(deps, item.projectId, item.itemId, (row) =>
    itemAfterCycle(row, { request, ...made, now: deps.now() }),
  );
}

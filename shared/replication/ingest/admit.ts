/**
 * Whether a change batch may come in at all, checked before its body is read: the agent's own
 * item and an included disk, a state that takes data, the item's epoch, the disk's cursor
 * (a sequence already acknowledged is answered as before, one not next refused), and room among
 * the disk's batches waiting for apply.
 */
import type { BatchAck } from "../../api/agentData";
import type { AgentIdentity } from "../../controlPlane/agentAuth";
import { itemState } from "../../controlPlane/items";
import { acceptsData, type AgentAction } from "../../domain/agentInstructions";
import { errors } from "../../domain/errors";
import type { DiskCursorRow } from "../../storage/rows";
import { applyPending } from "../apply";
import {
  diskTarget,
  itemForAgent,
  knownAnswer,
  MAX_PENDING,
  openCursor,
  pendingOf,
  type AgentItem,
  type DataPathDeps,
  type DiskTarget,
} from "../store";

export interface BatchRequest {
  agent: AgentIdentity;
  itemId: string;
  diskId: string;
  epoch: number;
  sequence: number;
  /** The body digest the request's signature covers (hex). */
  signedSha256: string;
  body: AsyncIterable<Uint8Array>;
}

export interface Admitted {
  item: AgentItem;
  target: DiskTarget;
  cursor: DiskCursorRow;
  /** The answer kept for a sequence already acknowledged (a resend): nothing else is done. */
  known?: BatchAck;
}

export async function admit(deps: DataPathDeps, request: BatchRequest): Promise<Admitted> {
  const item = await itemForAgent(deps, request.agent, request.itemId);
  const target = diskTarget(item, request.diskId);
  if (!acceptsData(itemState(item.row), item.row.agentAction as AgentAction | undefined))
    throw errors.replicationNotActive(item.row.replicationPaused ? "paused" : item.row.migrationState);
  if (request.epoch !== item.epoch) throw errors.epochMismatch(item.epoch);
  let cursor = await openCursor(deps, item.projectId, item.itemId, request.diskId, item.epoch);
  if (request.sequence === cursor.nextSequence && pendingOf(cursor).length >= MAX_PENDING) {
    await applyPending(deps, target, cursor.nextSequence - 1, true);
    cursor = await openCursor(deps, item.projectId, item.itemId, request.diskId, item.epoch);
    if (pendingOf(cursor).length >= MAX_PENDING) throw errors.tooManyRequests(5);
  }
  return { item, target, cursor, known: knownAnswer(cursor, request) };
}

/**
 * Ingest of one change batch (docs/data-path.md, "Write order"): checks, then the staged blob
 * committed, then the acknowledgement on the cursor row, then (inline, or later) the apply —
 * or, while a disk's first copy runs, straight to the replica (`seedBatch.ts`).
 * A refused batch leaves no visible trace; an acknowledged one is durable.
 */
import type { BatchAck } from "../../api/agentData";
import type { AgentIdentity } from "../../controlPlane/agentAuth";
import { changeItem, itemState, type ItemDisk } from "../../controlPlane/items";
import { acceptsData, seedingProgress, type AgentAction } from "../../domain/agentInstructions";
import { errors } from "../../domain/errors";
import {
  acknowledge,
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
import { applyPending, applySoon } from "../apply";
import { seedBatch, seedsDirectly } from "./seed";
import { stageBatch } from "./stage";
import type { DiskCursorRow } from "../../storage/rows";

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

async function admit(
  deps: DataPathDeps,
  request: BatchRequest,
): Promise<{ item: AgentItem; target: DiskTarget; cursor: DiskCursorRow }> {
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
  return { item, target, cursor };
}

/** The first verified byte fixes the target settings; a disk excluded meanwhile refuses the batch. */
async function markStarted(deps: DataPathDeps, item: AgentItem, diskId: string): Promise<void> {
  if (item.row.replicationStartedAt) return;
  await changeItem(deps, item.projectId, item.itemId, (row) => {
    const disk = (JSON.parse(row.disks) as ItemDisk[]).find((d) => d.diskId === diskId);
    if (!disk?.include) throw errors.diskNotReplicated(diskId);
    return row.replicationStartedAt
      ? undefined
      : { ...row, replicationStartedAt: deps.now().toISOString(), updatedAt: deps.now().toISOString() };
  });
}

export async function ingestBatch(deps: DataPathDeps, request: BatchRequest): Promise<BatchAck> {
  const started = Date.now();
  const { item, target, cursor } = await admit(deps, request);
  const known = knownAnswer(cursor, request);
  if (known) return known;
  if (seedsDirectly(cursor, Boolean(item.row.replicationStartedAt)))
    return ingestSeed(deps, item, target, request, cursor, started);
  const staged = await stageBatch(
    deps,
    target,
    { machineId: request.agent.machineId, sequence: request.sequence },
    request.body,
  );
  if (staged.bodySha256 !== request.signedSha256.toLowerCase())
    throw errors.invalidSignature("The body does not match its signed digest.");
  await markStarted(deps, item, request.diskId);
  await staged.stager.commit({ sequence: String(request.sequence), sha256: staged.summary.sha256 });
  const ack = await acknowledge(deps, target, {
    sequence: request.sequence,
    sha256: staged.summary.sha256,
    signedSha256: staged.bodySha256,
    staged: { blob: staged.ref.name, covered: staged.summary.coveredBytes },
  });
  if (ack.duplicate) return ack;
  await recordFigures(
    deps,
    item,
    request.diskId,
    staged.summary.coveredBytes,
    staged.wireBytes / Math.max(0.001, (Date.now() - started) / 1000),
  );
  if (deps.dataPathSettings.applyInline)
    applySoon(deps, target, { sequence: request.sequence, extents: staged.retained, bytes: staged.retainedBytes });
  return ack;
}

/** An initial-copy batch, written straight to the replica and acknowledged as applied. */
async function ingestSeed(
  deps: DataPathDeps,
  item: AgentItem,
  target: DiskTarget,
  request: BatchRequest,
  cursor: DiskCursorRow,
  started: number,
): Promise<BatchAck> {
  const signedSha256 = request.signedSha256.toLowerCase();
  const seeded = await seedBatch(
    deps,
    target,
    {
      machineId: request.agent.machineId,
      sequence: request.sequence,
      signedSha256,
      body: request.body,
    },
    cursor,
  );
  if (!seeded.ack.duplicate)
    await recordFigures(
      deps,
      item,
      request.diskId,
      seeded.coveredBytes,
      seeded.wireBytes / Math.max(0.001, (Date.now() - started) / 1000),
    );
  return seeded.ack;
}

/** Per-disk bytes and upload speed, and the initial-replication percentage while seeding. */
async function recordFigures(
  deps: DataPathDeps,
  item: AgentItem,
  diskId: string,
  coveredBytes: number,
  bytesPerSecond: number,
): Promise<void> {
  await changeItem(deps, item.projectId, item.itemId, (row) => {
    const disks = (JSON.parse(row.disks) as ItemDisk[]).map((d) =>
      d.diskId === diskId
        ? { ...d, bytesReplicated: d.bytesReplicated + coveredBytes, uploadBytesPerSecond: Math.round(bytesPerSecond) }
        : d,
    );
    const seeding = row.migrationState === "InitialSeedingInProgress";
    const progress = seeding
      ? seedingProgress(
          disks.filter((d) => d.include).map((d) => ({ sizeBytes: d.sizeBytes, coveredBytes: d.bytesReplicated })),
          false,
        )
      : row.initialSeedingProgress;
    const now = deps.now().toISOString();
    return {
      ...row,
      disks: JSON.stringify(disks),
      initialSeedingProgress: progress,
      lastProgressTime: now,
      updatedAt: now,
    };
  });
}

/**
 * Ingest of one change batch (docs/data-path.md, "Write order"): checks, then the staged blob
 * committed, then the acknowledgement on the cursor row, then (inline, or later) the apply —
 * or, while a disk's first copy runs, straight to the replica (`seedBatch.ts`).
 * A refused batch leaves no visible trace; an acknowledged one is durable.
 */
import type { BatchAck } from "../api/agentData";
import type { AgentIdentity } from "../controlPlane/agentAuth";
import { changeItem, itemState, type ItemDisk } from "../controlPlane/items";
import { acceptsData, seedingProgress, type AgentAction } from "../domain/agentInstructions";
import { errors } from "../domain/errors";
import { diskTarget, itemForAgent, type AgentItem, type DiskTarget } from "./agentItems";
import { applyPending } from "./applyBatches";
import type { DataPathDeps } from "./deps";
import { acksOf, changeCursor, MAX_PENDING, openCursor, pendingOf, withAck } from "./diskCursor";
import { seedBatch, seedsDirectly } from "./seedBatch";
import { stageBatch, type StagedBatch } from "./stageBatch";
import type { DiskCursorRow } from "../storage/rows";

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

/** The answer for a sequence already acknowledged, or the refusal of one that is not next. */
function answerKnown(cursor: DiskCursorRow, request: BatchRequest): BatchAck | undefined {
  if (request.sequence > cursor.nextSequence) throw errors.sequenceGap(cursor.nextSequence);
  if (request.sequence === cursor.nextSequence) return undefined;
  const ack = acksOf(cursor).find((a) => a.s === request.sequence);
  // Older than the kept acks: the agent is far behind what it was told; it must ask again.
  if (!ack) throw errors.sequenceGap(cursor.nextSequence);
  if (ack.body !== request.signedSha256.toLowerCase()) throw errors.batchConflict(request.sequence);
  return { sequence: ack.s, sha256: ack.sha, duplicate: true };
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

/**
 * Data bytes of acknowledged batches held in memory, across the process, until their inline apply
 * runs. Applies queue behind each other per replica; past this budget a batch is applied from
 * the cache instead, so a backlog costs storage reads, not memory.
 */
const RETAINED_BUDGET_BYTES = 128 * 1024 * 1024;
/** How long an inline apply waits after the ack, leaving storage to the agent's next call. */
const APPLY_GRACE_MS = 250;
let retainedForApply = 0;

function holdForApply(bytes: number): boolean {
  if (retainedForApply + bytes > RETAINED_BUDGET_BYTES) return false;
  retainedForApply += bytes;
  return true;
}

export async function ingestBatch(deps: DataPathDeps, request: BatchRequest): Promise<BatchAck> {
  const started = Date.now();
  const { item, target, cursor } = await admit(deps, request);
  const known = answerKnown(cursor, request);
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
  const ack = await acknowledge(deps, target, request, staged);
  if (ack.duplicate) return ack;
  await recordFigures(
    deps,
    item,
    request.diskId,
    staged.summary.coveredBytes,
    staged.wireBytes / Math.max(0.001, (Date.now() - started) / 1000),
  );
  if (deps.dataPathSettings.applyInline) applySoon(deps, target, request.sequence, staged);
  return ack;
}

/**
 * Not awaited: the ack is durable already, and the agent's next batch streams in while this one
 * is written. Applies stay in order (one queue per replica); if this one fails or the process
 * dies, the batch stays pending for the next batch, a reader of a point or the timer. It starts a
 * moment later: the agent's next call (its next batch, or the cycle that cuts the point) usually
 * comes within that, and gets storage and the CPU first. The queued apply holds the batch's
 * extents only if the budget takes them — nothing here may keep `staged` itself alive.
 */
function applySoon(deps: DataPathDeps, target: DiskTarget, sequence: number, staged: StagedBatch): void {
  const bytes = staged.retainedBytes;
  const retained = staged.retained && holdForApply(bytes) ? { sequence, extents: staged.retained } : undefined;
  setTimeout(() => {
    applyPending(deps, target, sequence, true, retained)
      .catch(() => undefined)
      .finally(() => {
        if (retained) retainedForApply -= bytes;
      });
  }, APPLY_GRACE_MS);
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
      answerKnown: (current) => answerKnown(current, request),
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

/** Writes the ack on the cursor; if a concurrent resend won, answers as it did and drops this copy. */
async function acknowledge(
  deps: DataPathDeps,
  target: DiskTarget,
  request: BatchRequest,
  staged: StagedBatch,
): Promise<BatchAck> {
  const entry = { s: request.sequence, sha: staged.summary.sha256, body: staged.bodySha256 };
  const pending = { s: request.sequence, blob: staged.ref.name, covered: staged.summary.coveredBytes };
  let won = false;
  const row = await changeCursor(deps, target.itemId, target.diskId, (current) => {
    if (current.epoch !== target.epoch) throw errors.epochMismatch(current.epoch);
    won = current.nextSequence === request.sequence;
    return won ? withAck(current, entry, pending, deps.now()) : undefined;
  });
  if (won) return { sequence: request.sequence, sha256: staged.summary.sha256, duplicate: false };
  await deps.cache.delete(staged.ref);
  return answerKnown(row, request) ?? { sequence: request.sequence, sha256: staged.summary.sha256, duplicate: true };
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

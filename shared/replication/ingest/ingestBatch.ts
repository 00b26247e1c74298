/**
 * Ingest of one change batch (docs/data-path.md, "Write order"): admitted (`admit.ts`), streamed
 * into the cache (`stage.ts`), its body checked (`body.ts`), the staged blob committed, the ack
 * written on the cursor row, then (inline, or later) the apply — or, while a disk's first copy
 * runs, straight to the replica (`seed.ts`).
 * A refused batch leaves no visible trace; an acknowledged one is durable.
 */
import type { BatchAck } from "../../api/agentData";
import { changeItem } from "../../controlPlane/items";
import { errors } from "../../domain/errors";
import { columns } from "../../storage/columns";
import { applySoon } from "../apply";
import type { AgentItem, DataPathDeps } from "../store";
import { admit, type Admitted, type BatchRequest } from "./admit";
import { recordFigures } from "./figures";
import { seedBatch, seedsDirectly } from "./seed";
import { commitStaged, stageBatch } from "./stage";

export async function ingestBatch(deps: DataPathDeps, request: BatchRequest): Promise<BatchAck> {
  const started = Date.now();
  const admitted = await admit(deps, request);
  if (admitted.known) return admitted.known;
  if (seedsDirectly(admitted.cursor, Boolean(admitted.item.row.replicationStartedAt)))
    return ingestSeed(deps, admitted, request, started);
  return ingestDelta(deps, admitted, request, started);
}

const bytesPerSecond = (bytes: number, started: number) => bytes / Math.max(0.001, (Date.now() - started) / 1000);

/** A delta batch (or the first of a copy): staged in the cache, acknowledged, then applied. */
async function ingestDelta(
  deps: DataPathDeps,
  { item, target }: Admitted,
  request: BatchRequest,
  started: number,
): Promise<BatchAck> {
  const batch = { machineId: request.agent.machineId, sequence: request.sequence };
  const staged = await stageBatch(deps, target, batch, request.body);
  const ack = await commitStaged(deps, target, staged, { ...batch, signedSha256: request.signedSha256 }, () =>
    markStarted(deps, item, request.diskId),
  );
  if (ack.duplicate) return ack;
  const rate = bytesPerSecond(staged.wireBytes, started);
  await recordFigures(deps, item, request.diskId, staged.summary.coveredBytes, rate);
  if (deps.dataPathSettings.applyInline)
    applySoon(deps, target, { sequence: request.sequence, extents: staged.retained, bytes: staged.retainedBytes });
  return ack;
}

/** The first verified byte fixes the target settings; a disk excluded meanwhile refuses the batch. */
async function markStarted(deps: DataPathDeps, item: AgentItem, diskId: string): Promise<void> {
  if (item.row.replicationStartedAt) return;
  await changeItem(deps, item.projectId, item.itemId, (row) => {
    const disk = columns.itemDisks.parse(row.disks).find((d) => d.diskId === diskId);
    if (!disk?.include) throw errors.diskNotReplicated(diskId);
    return row.replicationStartedAt
      ? undefined
      : { ...row, replicationStartedAt: deps.now().toISOString(), updatedAt: deps.now().toISOString() };
  });
}

/** An initial-copy batch, written straight to the replica and acknowledged as applied. */
async function ingestSeed(
  deps: DataPathDeps,
  { item, target, cursor }: Admitted,
  request: BatchRequest,
  started: number,
): Promise<BatchAck> {
  const seeded = await seedBatch(
    deps,
    target,
    {
      machineId: request.agent.machineId,
      sequence: request.sequence,
      signedSha256: request.signedSha256.toLowerCase(),
      body: request.body,
    },
    cursor,
  );
  if (!seeded.ack.duplicate)
    await recordFigures(deps, item, request.diskId, seeded.coveredBytes, bytesPerSecond(seeded.wireBytes, started));
  return seeded.ack;
}

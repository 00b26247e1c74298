/**
 * Ingest of one change batch (docs/data-path.md, "Write order"): admitted (`admit.ts`), streamed
 * into the cache (`stage.ts`), its body checked (`body.ts`), the staged blob committed, the ack
 * written on the cursor row, then (inline, or later) the apply — or, while a disk's first copy
 * runs, straight to the replica (`seed.ts`).
 * A refused batch leaves no visible trace; an acknowledged one is durable.
 */
import type { BatchAck } from "../../api/agentData";
import { batchSlots } from "./bodySlots";
import { changeItem } from "../../controlPlane/items";
import { errors, isFerryError } from "../../domain/errors";
import { columns } from "../../storage/columns";
import { attributeNames, errorCodeOf, inSpan, measureBatch, spanNames, type BatchKind } from "../../telemetry";
import { applySoon } from "../apply";
import type { AgentItem, DataPathDeps } from "../store";
import { admit, type Admitted, type BatchRequest } from "./admit";
import { recordFigures } from "./figures";
import { seedBatch, seedsDirectly } from "./seed";
import { commitStaged, stageBatch } from "./stage";

/** What an ingested batch came to: its answer, and the bytes it brought. */
interface Ingested {
  ack: BatchAck;
  wireBytes: number;
  diskBytes: number;
}

export function ingestBatch(deps: DataPathDeps, request: BatchRequest): Promise<BatchAck> {
  const attributes = {
    [attributeNames.projectId]: request.agent.projectId,
    [attributeNames.itemId]: request.itemId,
    [attributeNames.diskId]: request.diskId,
    [attributeNames.batchSequence]: request.sequence,
  };
  return inSpan(spanNames.ingestBatch, attributes, async (span) => {
    const started = Date.now();
    const seconds = () => (Date.now() - started) / 1000;
    let kind: BatchKind | "unknown" = "unknown";
    try {
      const admitted = await admit(deps, request);
      if (admitted.known) {
        measureBatch(kind, { outcome: "duplicate" }, seconds());
        return admitted.known;
      }
      kind = seedsDirectly(admitted.cursor, Boolean(admitted.item.row.replicationStartedAt)) ? "seed" : "delta";
      span.setAttribute(attributeNames.batchKind, kind);
      const { ack, wireBytes, diskBytes } = await batchSlots.run(() =>
        kind === "seed" ? ingestSeed(deps, admitted, request, started) : ingestDelta(deps, admitted, request, started),
      );
      span.setAttributes({ [attributeNames.batchBytes]: wireBytes, [attributeNames.batchDiskBytes]: diskBytes });
      measureBatch(
        kind,
        ack.duplicate ? { outcome: "duplicate" } : { outcome: "accepted", wireBytes, diskBytes },
        seconds(),
      );
      return ack;
    } catch (error) {
      const outcome = isFerryError(error) && error.httpStatus < 500 ? "refused" : "failed";
      measureBatch(kind, { outcome, errorCode: errorCodeOf(error) }, seconds());
      throw error;
    }
  });
}

const bytesPerSecond = (bytes: number, started: number) => bytes / Math.max(0.001, (Date.now() - started) / 1000);

/** A delta batch (or the first of a copy): staged in the cache, acknowledged, then applied. */
async function ingestDelta(
  deps: DataPathDeps,
  { item, target }: Admitted,
  request: BatchRequest,
  started: number,
): Promise<Ingested> {
  const batch = { machineId: request.agent.machineId, sequence: request.sequence };
  const staged = await stageBatch(deps, target, batch, request.body);
  const ack = await commitStaged(deps, target, staged, { ...batch, signedSha256: request.signedSha256 }, () =>
    markStarted(deps, item, request.diskId),
  );
  const ingested = { ack, wireBytes: staged.wireBytes, diskBytes: staged.summary.coveredBytes };
  if (ack.duplicate) return ingested;
  const rate = bytesPerSecond(staged.wireBytes, started);
  await recordFigures(deps, item, request.diskId, staged.summary.coveredBytes, rate);
  if (deps.dataPathSettings.applyInline)
    applySoon(deps, target, { sequence: request.sequence, extents: staged.retained, bytes: staged.retainedBytes });
  return ingested;
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
): Promise<Ingested> {
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
  return { ack: seeded.ack, wireBytes: seeded.wireBytes, diskBytes: seeded.coveredBytes };
}

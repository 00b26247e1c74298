/**
 * Streams one change batch from the request into the cache: decoded and checked extent by
 * extent, re-compressed when it pays, sealed, and staged as uncommitted blocks of one block
 * blob. Nothing is visible until it is committed, after the trailer and the signed body digest
 * hold (`body.ts`); then the batch is acknowledged as waiting for apply.
 */
import { randomBytes } from "node:crypto";
import { errors } from "../../domain/errors";
import type { BlobRef } from "../../storage/blobContainers";
import type { BlobStager } from "../../storage/cacheBlobs";
import type { BatchAck } from "../../api/agentData";
import {
  AdaptiveCompressor,
  batchLimits,
  extentLength,
  joined,
  readBatchParts,
  type BatchSummary,
  type Extent,
  type ReceivedEvent,
} from "../wire";
import {
  acknowledge,
  sealEnd,
  sealExtent,
  stagedHeader,
  stagedRef,
  type DataPathDeps,
  type DiskTarget,
  type StagedContext,
} from "../store";
import { checkBody, checkHeader, tapped, type BatchIdentity } from "./body";

export interface StagedBatch {
  ref: BlobRef;
  stager: BlobStager;
  summary: BatchSummary;
  /** SHA-256 (hex) of the whole body as received, for the signature's digest. */
  bodySha256: string;
  wireBytes: number;
  /** The decoded extents, kept when small enough, so an inline apply need not read the cache back. */
  retained?: Extent[];
  /** Data bytes in `retained`. */
  retainedBytes: number;
}

/** Most data bytes of one batch held in memory for an inline apply; larger batches apply from the cache. */
export const RETAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/** Stages a batch straight from its body. */
export function stageBatch(
  deps: DataPathDeps,
  target: DiskTarget,
  batch: BatchIdentity,
  body: AsyncIterable<Uint8Array>,
): Promise<StagedBatch> {
  const seen = { bytes: 0 };
  return stageEvents(deps, target, batch, readBatchParts(tapped(body, seen), batchLimits(target.sizeBytes)), seen);
}

/** Stages a batch from its decoded events; `seen` counts the body's bytes as they pass. */
export async function stageEvents(
  deps: DataPathDeps,
  target: DiskTarget,
  batch: BatchIdentity,
  events: AsyncIterable<ReceivedEvent>,
  seen: { bytes: number },
): Promise<StagedBatch> {
  const ref = stagedRef(
    target.projectId,
    target.itemId,
    target.diskId,
    target.epoch,
    batch.sequence,
    randomBytes(4).toString("hex"),
  );
  const context: StagedContext = {
    ...target,
    sequence: batch.sequence,
    dataKey: await deps.dataKeys.forProject(target.projectId),
  };
  const stager = deps.cache.stage(ref);
  const compressor = new AdaptiveCompressor();
  let summary: BatchSummary | undefined;
  let retained: Extent[] | undefined = [];
  let retainedBytes = 0;
  await stager.append(stagedHeader(context));
  for await (const event of events) {
    if (event.type === "header") checkHeader(event.header, target, batch);
    else if (event.type === "end") summary = event.summary;
    else {
      const extent = joined(event.extent);
      for (const part of sealExtent(context, extent, compressor)) await stager.append(part);
      retainedBytes += extent.kind === "data" ? extentLength(extent) : 0;
      if (retainedBytes > RETAIN_LIMIT_BYTES) retained = undefined;
      else retained?.push(extent);
    }
  }
  if (summary === undefined) throw errors.batchTruncated(seen.bytes);
  for (const part of sealEnd(context, summary)) await stager.append(part);
  return {
    ref,
    stager,
    summary,
    bodySha256: summary.bodySha256,
    wireBytes: seen.bytes,
    retained,
    retainedBytes: retained ? retainedBytes : 0,
  };
}

/**
 * A staged batch made visible: its body checked against the signed digest, then `beforeCommit`
 * (the item's first batch records that replication started), the commit, and the ack as waiting
 * for apply. A refusal before the commit leaves only uncommitted blocks, which nothing reads.
 */
export async function commitStaged(
  deps: DataPathDeps,
  target: DiskTarget,
  staged: StagedBatch,
  batch: BatchIdentity & { signedSha256: string },
  beforeCommit?: () => Promise<void>,
): Promise<BatchAck> {
  checkBody(staged.bodySha256, batch.signedSha256);
  await beforeCommit?.();
  await staged.stager.commit({ sequence: String(batch.sequence), sha256: staged.summary.sha256 });
  return acknowledge(deps, target, {
    sequence: batch.sequence,
    sha256: staged.summary.sha256,
    signedSha256: staged.bodySha256,
    endOffset: staged.summary.endOffset,
    staged: { blob: staged.ref.name, covered: staged.summary.coveredBytes },
  });
}

/**
 * Streams one change batch from the request into the cache: decoded and checked extent by
 * extent, re-compressed when it pays, sealed, and staged as uncommitted blocks of one block
 * blob. Nothing is visible until the caller commits, after the trailer and the signed body
 * digest hold (`body.ts`).
 */
import { randomBytes } from "node:crypto";
import { errors } from "../../domain/errors";
import type { BlobRef } from "../../storage/blobContainers";
import type { BlobStager } from "../../storage/cacheBlobs";
import { AdaptiveCompressor, batchLimits, extentLength, readBatch, type BatchSummary, type Extent } from "../wire";
import {
  sealEnd,
  sealExtent,
  stagedHeader,
  stagedRef,
  type DataPathDeps,
  type DiskTarget,
  type StagedContext,
} from "../store";
import { checkHeader, tapped, type BatchIdentity } from "./body";

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

export async function stageBatch(
  deps: DataPathDeps,
  target: DiskTarget,
  batch: BatchIdentity,
  body: AsyncIterable<Uint8Array>,
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
  const seen = { bytes: 0 };
  let summary: BatchSummary | undefined;
  let retained: Extent[] | undefined = [];
  let retainedBytes = 0;
  await stager.append(stagedHeader(context));
  for await (const event of readBatch(tapped(body, seen), batchLimits(target.sizeBytes))) {
    if (event.type === "header") checkHeader(event.header, target, batch);
    else if (event.type === "end") summary = event.summary;
    else {
      for (const part of sealExtent(context, event.extent, compressor)) await stager.append(part);
      retainedBytes += event.extent.kind === "data" ? extentLength(event.extent) : 0;
      if (retainedBytes > RETAIN_LIMIT_BYTES) retained = undefined;
      else retained?.push(event.extent);
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

/**
 * One pass over one disk: scan (from the initial copy's acked offset, or from zero), spool
 * bounded batches, send each, and only once it is acknowledged record its blocks in the
 * digest map and advance the journal — in that order, so a crash anywhere only resends.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { BLOCK_BYTES } from "../disk/blockDigest";
import type { DigestMap } from "../disk/digestMap";
import type { SourceDisk } from "../disk/sourceDisk";
import { AdaptiveCompressor, DEFAULT_MAX_EXTENT_BYTES, type BatchFlags } from "../../shared/replication/wire";
import type { AgentApi } from "./agentApi";
import { restampBatch } from "./batchRestamp";
import { spoolBatch, type BatchCaps, type SpooledBatch } from "./batchSpool";
import { ChangeQueue } from "./changeQueue";
import type { JournalStore } from "./journal";
import { mib, speed, type Logger } from "./log";
import type { Progress } from "./progress";
import { scanRange } from "./rangeScanner";
import { copying } from "./reconcile";
import type { SpaceBudget } from "./spaceBudget";

export interface PassContext {
  api: AgentApi;
  itemId: string;
  epoch: number;
  diskId: string;
  source: SourceDisk;
  map: DigestMap;
  journal: JournalStore;
  spoolDir: string;
  /** The batch bound the state directory has room for, asked before each batch. */
  space: SpaceBudget;
  /** Flags of the pass's last batch (consistency, final). */
  lastFlags: BatchFlags;
  /** Send a last batch even when nothing changed (the final marker of a planned migration). */
  forceLastBatch: boolean;
  progress: Progress;
  log: Logger;
  signal: AbortSignal;
}

export interface PassFigures {
  batches: number;
  dataBytes: number;
  wireBytes: number;
}

/** The server expects a lower sequence than the journal: acknowledged batches are gone. */
export class LostAcks extends Error {
  constructor(readonly expectedSequence: number) {
    super(`The server expects sequence ${expectedSequence}, lower than the agent's.`);
  }
}

export const NO_FLAGS: BatchFlags = { final: false, appConsistent: false, crashConsistent: false };

/**
 * A copy pass's first batch holds at most 4 MiB of data: the server has work as soon as that is
 * read, not after a whole batch is spooled, and it stages a disk's very first batch (its bytes
 * are written twice) before it writes the copy straight into the replica.
 */
const FIRST_COPY_BATCH_BYTES = 4 * 1024 * 1024;

export async function runDiskPass(ctx: PassContext): Promise<PassFigures> {
  const copy = copying(entry(ctx));
  const caps = ctx.space.caps();
  const scan = scanRange(ctx.source, ctx.map, {
    start: copy ? entry(ctx).copyOffset : 0,
    maxExtentBytes: extentBound(caps),
    onProgress: (to) => ctx.progress.scanned(ctx.diskId, to),
  });
  const queue = new ChangeQueue(scan[Symbol.asyncIterator]());
  const compressor = new AdaptiveCompressor();
  const figures: PassFigures = { batches: 0, dataBytes: 0, wireBytes: 0 };
  // The next batch is spooled while the current one is on the wire; acks still commit in order.
  const firstCaps = copy ? { ...caps, maxDataBytes: Math.min(caps.maxDataBytes, FIRST_COPY_BATCH_BYTES) } : caps;
  let next = buildBatch(ctx, queue, compressor, entry(ctx).nextSequence, firstCaps);
  let current: SpooledBatch | undefined;
  try {
    for (;;) {
      ctx.signal.throwIfAborted();
      current = await next;
      if (current === undefined) break;
      const batch =
        current.header.sequence === entry(ctx).nextSequence
          ? current
          : await restampBatch(current, { ...current.header, sequence: entry(ctx).nextSequence });
      next = batch.last
        ? Promise.resolve(undefined)
        : buildBatch(ctx, queue, compressor, batch.header.sequence + 1, ctx.space.caps());
      const sent = await sendUntilAcked(ctx, batch);
      await commitAck(ctx, sent.batch, copy, sent.seconds);
      figures.batches += 1;
      figures.dataBytes += sent.batch.dataBytes;
      figures.wireBytes += sent.batch.fileBytes;
    }
  } finally {
    // A failed pass (a full disk, say) leaves no spool file behind: the next one spools anew.
    if (current) await rm(current.file, { force: true });
    const unsent = await next.catch(() => undefined);
    if (unsent) await rm(unsent.file, { force: true });
    await queue.close();
  }
  finishPass(ctx, copy);
  return figures;
}

/** Extents no longer than a batch, so a batch never exceeds its bound by a whole extent. */
function extentBound(caps: BatchCaps): number {
  return Math.max(
    BLOCK_BYTES,
    Math.floor(Math.min(DEFAULT_MAX_EXTENT_BYTES, caps.maxDataBytes) / BLOCK_BYTES) * BLOCK_BYTES,
  );
}

function entry(ctx: PassContext) {
  const disk = ctx.journal.disk(ctx.diskId);
  if (!disk) throw new Error(`The journal has no entry for ${ctx.diskId}.`);
  return disk;
}

/** Spools the next batch; its failure is met when the pass awaits it, not as an unhandled rejection meanwhile. */
function buildBatch(
  ctx: PassContext,
  queue: ChangeQueue,
  compressor: AdaptiveCompressor,
  sequence: number,
  caps: BatchCaps,
): Promise<SpooledBatch | undefined> {
  const built = spoolNext(ctx, queue, compressor, sequence, caps);
  built.catch(() => undefined);
  return built;
}

async function spoolNext(
  ctx: PassContext,
  queue: ChangeQueue,
  compressor: AdaptiveCompressor,
  sequence: number,
  caps: BatchCaps,
): Promise<SpooledBatch | undefined> {
  const header = { machineId: ctx.api.machineId, diskId: ctx.diskId, epoch: ctx.epoch, sequence, flags: NO_FLAGS };
  const file = path.join(ctx.spoolDir, `${ctx.diskId}-${header.sequence}.batch`);
  const batch = await spoolBatch(file, header, queue, caps, compressor);
  await ctx.space.spooled(caps);
  if (batch.extentCount === 0 && !ctx.forceLastBatch) {
    await rm(file, { force: true });
    return undefined;
  }
  const flagged = ctx.lastFlags.final || ctx.lastFlags.crashConsistent || ctx.lastFlags.appConsistent;
  if (!batch.last || !flagged) return batch;
  return restampBatch(batch, { ...header, flags: ctx.lastFlags }).catch(async (error: unknown) => {
    await rm(file, { force: true });
    throw error;
  });
}

/** Sends until acknowledged; a higher expected sequence renumbers the batch, a lower one is LostAcks. */
async function sendUntilAcked(
  ctx: PassContext,
  first: SpooledBatch,
): Promise<{ batch: SpooledBatch; seconds: number }> {
  let batch = first;
  for (;;) {
    const started = performance.now();
    const outcome = await ctx.api.putBatch(ctx.itemId, batch, ctx.signal);
    const sequence = batch.header.sequence;
    let next: number;
    if (outcome.kind === "acked") {
      if (!outcome.ack.duplicate || outcome.ack.sha256 === batch.trailerSha256)
        return { batch, seconds: (performance.now() - started) / 1000 };
      next = sequence + 1;
      ctx.log.warn(
        `${ctx.diskId} batch ${sequence}: the server holds another batch under this sequence; sending ours as ${next}`,
      );
    } else {
      if (outcome.expectedSequence < sequence) throw new LostAcks(outcome.expectedSequence);
      if (outcome.expectedSequence === sequence)
        throw new Error(`The server refused ${ctx.diskId} batch ${sequence} as a gap yet expects it.`);
      next = outcome.expectedSequence;
      ctx.log.warn(
        `${ctx.diskId} batch ${sequence}: the server already holds up to ${next - 1} (SequenceGap); sending as ${next}`,
      );
    }
    ctx.journal.updateDisk(ctx.diskId, (disk) => {
      disk.nextSequence = next;
    });
    batch = await restampBatch(batch, { ...batch.header, sequence: next });
  }
}

async function commitAck(ctx: PassContext, batch: SpooledBatch, copy: boolean, seconds: number): Promise<void> {
  await ctx.map.commit(batch.commits);
  const sequence = batch.header.sequence;
  ctx.journal.updateDisk(ctx.diskId, (disk) => {
    disk.nextSequence = sequence + 1;
    disk.lastAck = { sequence, at: new Date().toISOString() };
    if (copy) disk.copyOffset = batch.last ? ctx.source.sizeBytes : (batch.endOffset ?? disk.copyOffset);
  });
  await rm(batch.file, { force: true });
  ctx.log.info(
    `${ctx.diskId} batch ${sequence} acked: ${mib(batch.dataBytes)} data + ${mib(batch.zeroBytes)} zero runs ` +
      `in ${batch.extentCount} extents, ` +
      `${mib(batch.fileBytes)} on the wire in ${seconds.toFixed(2)} s (${speed(batch.fileBytes, seconds)})`,
  );
}

/**
 * A pass that reached the disk's end completes the copy, and a completed copy (a resync or an
 * initial copy, each started from zero) settles any doubt. A delta pass over the whole disk
 * does not: the server must hear of the doubt and run its resync first.
 */
function finishPass(ctx: PassContext, copy: boolean): void {
  const disk = entry(ctx);
  if (!copy || disk.copyComplete) return;
  ctx.journal.updateDisk(ctx.diskId, (next) => {
    Object.assign(next, { copyOffset: ctx.source.sizeBytes, copyComplete: true });
    delete next.doubt;
    delete next.doubtAt;
  });
}

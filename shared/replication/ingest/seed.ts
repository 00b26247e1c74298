/**
 * Initial-copy batches written straight to the replica (docs/data-path.md §7, "Seed batch"): decoded
 * and checked extent by extent, page-written as they arrive under the replica's lease, and
 * acknowledged as applied once every write has landed — one storage write per byte instead of
 * a staged copy and a second write.
 *
 * Safe only where no acknowledged byte lies: past the disk's acknowledged frontier (`ackedEnd`
 * on the cursor). A batch refused after its extents were written leaves bytes there that no
 * point shows (the copy is not complete) and that the agent sends again (its digest map holds
 * nothing for them). A batch whose first extent starts below the frontier — extents are sorted,
 * so only the first can — would overwrite acknowledged bytes before its digest is known: it is
 * staged in the cache instead, like a delta, and applied under the same lease once it holds.
 */
import type { BatchAck } from "../../api/agentData";
import { errors } from "../../domain/errors";
import type { BlobLease } from "../../storage/replicaBlobs";
import type { DiskCursorRow } from "../../storage/rows";
import { acknowledge, ackedEndOf, knownAnswer, openCursor, type DataPathDeps, type DiskTarget } from "../store";
import { applyUnder, seedWriter, withReplica } from "../apply";
import { batchLimits, readBatchParts, type BatchSummary, type ReceivedEvent } from "../wire";
import { checkBody, checkHeader, tapped, type BatchIdentity } from "./body";
import { commitStaged, stageEvents } from "./stage";

export interface SeedRequest extends BatchIdentity {
  /** The body digest the request's signature covers (hex, lower case). */
  signedSha256: string;
  body: AsyncIterable<Uint8Array>;
}

export interface SeededBatch {
  ack: BatchAck;
  coveredBytes: number;
  wireBytes: number;
}

/** True when the disk's batches may go straight to the replica: its first copy is still running. */
export const seedsDirectly = (cursor: DiskCursorRow, replicationStarted: boolean): boolean =>
  !cursor.initialCopyComplete && replicationStarted;

/**
 * Under the replica's lease: anything still pending applied first, then the batch written
 * straight to the replica or, when it reaches acknowledged bytes, staged and applied.
 * `admitted`: the cursor as read when the request was admitted.
 */
export async function seedBatch(
  deps: DataPathDeps,
  target: DiskTarget,
  request: SeedRequest,
  admitted: DiskCursorRow,
): Promise<SeededBatch> {
  const seeded = await withReplica(
    deps,
    target,
    async (lease) => {
      // Another request may have moved the cursor while this one waited for the replica.
      const cursor = await openCursor(deps, target.projectId, target.itemId, target.diskId, target.epoch);
      const known = knownAnswer(cursor, request);
      if (known) return { ack: known, coveredBytes: 0, wireBytes: 0 };
      // Batches staged before (the first one, or any left by a crash) reach the replica first.
      if (cursor.appliedSequence < cursor.nextSequence - 1)
        await applyUnder(deps, target, lease, cursor.nextSequence - 1);
      // Under the lease no other ack can move the frontier: acks of seed batches take the lease too.
      return seedUnder(deps, target, lease, request, ackedEndOf(cursor));
    },
    false,
    admitted.replicaReady,
  );
  if (!seeded) throw errors.tooManyRequests(5);
  return seeded;
}

async function seedUnder(
  deps: DataPathDeps,
  target: DiskTarget,
  lease: BlobLease,
  request: SeedRequest,
  ackedEnd: number,
): Promise<SeededBatch> {
  const seen = { bytes: 0 };
  const { head, events } = await peeked(readBatchParts(tapped(request.body, seen), batchLimits(target.sizeBytes)));
  const first = head.at(-1);
  if (first?.type === "extent" && first.extent.offset < ackedEnd)
    return stageUnder(deps, target, lease, request, { events, seen });
  const written = await writeBody(deps, target, lease, request, { events, seen });
  checkBody(written.summary.bodySha256, request.signedSha256);
  return {
    ack: await acknowledge(deps, target, {
      sequence: request.sequence,
      sha256: written.summary.sha256,
      signedSha256: request.signedSha256,
      endOffset: written.summary.endOffset,
    }),
    coveredBytes: written.summary.coveredBytes,
    wireBytes: seen.bytes,
  };
}

/** The first two events (the header, then the first extent or the end) and all of them again from the start. */
async function peeked(
  source: AsyncGenerator<ReceivedEvent>,
): Promise<{ head: ReceivedEvent[]; events: AsyncGenerator<ReceivedEvent> }> {
  const head: ReceivedEvent[] = [];
  for (let taken = 0; taken < 2; taken += 1) {
    const next = await source.next();
    if (next.done) break;
    head.push(next.value);
  }
  async function* events(): AsyncGenerator<ReceivedEvent> {
    try {
      yield* head;
      yield* source;
    } finally {
      await source.return(undefined);
    }
  }
  return { head, events: events() };
}

interface OpenBody {
  events: AsyncIterable<ReceivedEvent>;
  seen: { bytes: number };
}

/** The staged path under the lease already held: nothing reaches the replica before the digest holds. */
async function stageUnder(
  deps: DataPathDeps,
  target: DiskTarget,
  lease: BlobLease,
  request: SeedRequest,
  body: OpenBody,
): Promise<SeededBatch> {
  const staged = await stageEvents(deps, target, request, body.events, body.seen);
  const ack = await commitStaged(deps, target, staged, request);
  if (!ack.duplicate)
    await applyUnder(
      deps,
      target,
      lease,
      request.sequence,
      staged.retained && { sequence: request.sequence, extents: staged.retained },
    );
  return { ack, coveredBytes: staged.summary.coveredBytes, wireBytes: staged.wireBytes };
}

/**
 * Streams the body into page writes; the planner keeps a few in flight while the next extents
 * arrive. An extent's bytes go out as the request's own chunks, never joined into one buffer.
 */
async function writeBody(
  deps: DataPathDeps,
  target: DiskTarget,
  lease: BlobLease,
  request: SeedRequest,
  body: OpenBody,
): Promise<{ summary: BatchSummary }> {
  const planner = seedWriter(deps, target, lease);
  let summary: BatchSummary | undefined;
  try {
    for await (const event of body.events) {
      if (event.type === "header") checkHeader(event.header, target, request);
      else if (event.type === "end") summary = event.summary;
      else await planner.add(event.extent);
    }
    await planner.finish();
  } catch (error) {
    // No write of a refused batch may land after the lease is released.
    await planner.abandon();
    throw error;
  }
  if (summary === undefined) throw errors.batchTruncated(body.seen.bytes);
  return { summary };
}

/**
 * Initial-copy batches written straight to the replica (docs/data-path.md §7, "Seed batch"): decoded
 * and checked extent by extent, page-written as they arrive under the replica's lease, and
 * acknowledged as applied once every write has landed — one storage write per byte instead of
 * a staged copy and a second write.
 *
 * Safe only while the disk has no complete copy yet: no recovery point can show the replica
 * before the copy ends, every block not yet acknowledged is sent again (the agent's digest map
 * holds nothing for it), and the copy tiles the disk, so the bytes of a batch refused after its
 * extents were written are overwritten by its resend before any point is cut.
 */
import type { BatchAck } from "../../api/agentData";
import { errors } from "../../domain/errors";
import type { BlobLease } from "../../storage/replicaBlobs";
import { acknowledge, knownAnswer, openCursor, type DataPathDeps, type DiskTarget } from "../store";
import { applyUnder, seedWriter, withReplica } from "../apply";
import { batchLimits, readBatchParts, type BatchSummary } from "../wire";
import { checkBody, checkHeader, tapped, type BatchIdentity } from "./body";
import type { DiskCursorRow } from "../../storage/rows";

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
 * Writes the batch's extents to the replica through apply's door (`seedWriter`, under the
 * replica's lease), checks the body, then acknowledges it as applied. `admitted`: the cursor as
 * read when the request was admitted.
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
      const written = await writeBody(deps, target, lease, request);
      checkBody(written.summary.bodySha256, request.signedSha256);
      return {
        ack: await acknowledge(deps, target, {
          sequence: request.sequence,
          sha256: written.summary.sha256,
          signedSha256: request.signedSha256,
        }),
        coveredBytes: written.summary.coveredBytes,
        wireBytes: written.wireBytes,
      };
    },
    false,
    admitted.replicaReady,
  );
  if (!seeded) throw errors.tooManyRequests(5);
  return seeded;
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
): Promise<{ summary: BatchSummary; wireBytes: number }> {
  const planner = seedWriter(deps, target, lease);
  const seen = { bytes: 0 };
  let summary: BatchSummary | undefined;
  try {
    for await (const event of readBatchParts(tapped(request.body, seen), batchLimits(target.sizeBytes))) {
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
  if (summary === undefined) throw errors.batchTruncated(seen.bytes);
  return { summary, wireBytes: seen.bytes };
}

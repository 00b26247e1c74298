/**
 * What a received body must be before any of it counts: its header names this machine, disk,
 * epoch and sequence, and — the one body check — the decoded body's SHA-256 is the digest the
 * request's signature covers.
 */
import { errors } from "../../domain/errors";
import type { DiskTarget } from "../store";
import type { BatchHeader } from "../wire";

export interface BatchIdentity {
  machineId: string;
  sequence: number;
}

/** Counts the body's bytes as they pass (the decoder hashes them). */
export async function* tapped(body: AsyncIterable<Uint8Array>, seen: { bytes: number }): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    seen.bytes += chunk.byteLength;
    yield chunk;
  }
}

export function checkHeader(header: BatchHeader, target: DiskTarget, batch: BatchIdentity): void {
  if (header.machineId !== batch.machineId) throw errors.batchWrongMachine();
  if (header.diskId !== target.diskId) throw errors.batchWrongDisk();
  if (header.epoch !== target.epoch) throw errors.batchHeaderMismatch("epoch");
  if (header.sequence !== batch.sequence) throw errors.batchHeaderMismatch("sequence");
}

/** The decoded body's SHA-256 (hex) against the signed digest: a body that is not the one signed is refused. */
export function checkBody(bodySha256: string, signedSha256: string): void {
  if (bodySha256 !== signedSha256.toLowerCase())
    throw errors.invalidSignature("The body does not match its signed digest.");
}

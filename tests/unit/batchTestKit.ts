/** Helpers shared by the change-batch tests: build wire bytes, feed them back in chunks. */
import { createHash, randomBytes } from "node:crypto";
import { expect } from "vitest";
import { isFerryError } from "../../shared/domain/errors";
import {
  batchLimits,
  encodeBatch,
  readBatch,
  type BatchEvent,
  type BatchHeader,
  type BatchLimits,
  type EncodeOptions,
  type Extent,
} from "../../shared/replication/wire";

export const header: BatchHeader = {
  machineId: "machine-1",
  diskId: "disk-0",
  epoch: 3,
  sequence: 42,
  flags: { final: false, appConsistent: false, crashConsistent: true },
};

export const DISK_BYTES = 64 * 1024 * 1024;

export async function encodeToBuffer(
  extents: Extent[],
  options: EncodeOptions = {},
  batchHeader = header,
): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of encodeBatch(batchHeader, extents, options)) parts.push(part);
  return Buffer.concat(parts);
}

/** Yields `bytes` in pieces of `chunkBytes`, as an HTTP body arrives. */
export async function* chunked(bytes: Buffer, chunkBytes = 64 * 1024): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += chunkBytes) yield bytes.subarray(at, at + chunkBytes);
}

export async function decodeAll(
  bytes: Buffer,
  limits: Partial<BatchLimits> = {},
  chunkBytes?: number,
): Promise<BatchEvent[]> {
  const events: BatchEvent[] = [];
  for await (const event of readBatch(chunked(bytes, chunkBytes), batchLimits(DISK_BYTES, limits))) events.push(event);
  return events;
}

/** Resolves to the FerryError code the decode failed with, and checks no "end" was reached. */
export async function decodeFailure(bytes: Buffer, limits: Partial<BatchLimits> = {}): Promise<string> {
  const seen: string[] = [];
  try {
    for await (const event of readBatch(chunked(bytes), batchLimits(DISK_BYTES, limits))) seen.push(event.type);
  } catch (error) {
    expect(seen).not.toContain("end");
    if (isFerryError(error)) return error.code;
    throw error;
  }
  throw new Error("the batch decoded without error");
}

/** Replaces the trailer with the SHA-256 of the (edited) bytes before it. */
export function resealed(bytes: Buffer): Buffer {
  const body = bytes.subarray(0, bytes.length - 32);
  return Buffer.concat([body, createHash("sha256").update(body).digest()]);
}

export function randomExtents(): Extent[] {
  return [
    { kind: "data", offset: 0, data: Buffer.alloc(70000, "compressible text ") },
    { kind: "zero", offset: 70000, length: 1024 * 1024 },
    { kind: "data", offset: 2 * 1024 * 1024, data: randomBytes(4096) },
    { kind: "data", offset: 3 * 1024 * 1024 + 1, data: randomBytes(12345) },
  ];
}

/**
 * The digest map's file layout: a 64-byte header, then one u64 LE digest per block, block
 * i at byte 64 + 8 i. A zero entry means "never acknowledged", so a sparse, freshly
 * truncated file is a valid map in which every block is still to send.
 */
import { crc32 } from "node:zlib";
import { DIGEST_ALGORITHM_XXH64 } from "./blockDigest";

export const MAP_MAGIC = Buffer.from("FRYDMAP1", "ascii");
export const MAP_FORMAT_VERSION = 1;
export const MAP_HEADER_BYTES = 64;
export const DIGEST_ENTRY_BYTES = 8;

/** What a map belongs to: any difference makes it useless, and it is started anew. */
export interface MapIdentity {
  diskSizeBytes: number;
  blockBytes: number;
  /** The replication epoch: a resync on the server starts a new one with an empty replica. */
  epoch: number;
}

export function blockCount(identity: MapIdentity): number {
  return Math.ceil(identity.diskSizeBytes / identity.blockBytes);
}

export function mapFileBytes(identity: MapIdentity): number {
  return MAP_HEADER_BYTES + blockCount(identity) * DIGEST_ENTRY_BYTES;
}

export function encodeMapHeader(identity: MapIdentity): Buffer {
  const out = Buffer.alloc(MAP_HEADER_BYTES);
  MAP_MAGIC.copy(out, 0);
  out.writeUInt32LE(MAP_FORMAT_VERSION, 8);
  out.writeUInt32LE(identity.blockBytes, 12);
  out.writeBigUInt64LE(BigInt(identity.diskSizeBytes), 16);
  out.writeBigUInt64LE(BigInt(identity.epoch), 24);
  out.writeUInt32LE(DIGEST_ALGORITHM_XXH64, 32);
  out.writeUInt32LE(crc32(out.subarray(0, 60)), 60);
  return out;
}

export function headerMatches(header: Buffer, identity: MapIdentity): boolean {
  return header.length === MAP_HEADER_BYTES && header.equals(encodeMapHeader(identity));
}

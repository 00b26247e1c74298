/**
 * Per-block digests for change detection: XXH64 (native, ~5 GB/s on 4 KiB blocks here; see
 * bench/dataPath/digestBench). Not a security hash: it only has to notice accidental change.
 */
import { xxh64 } from "@node-rs/xxhash";

export const BLOCK_BYTES = 4096;
export const DIGEST_ALGORITHM_XXH64 = 1;
/** A map entry that was never acknowledged: the block is always sent. */
export const UNKNOWN_DIGEST = 0n;

const ZERO_BLOCK = Buffer.alloc(BLOCK_BYTES);
/** All-zero blocks (of any length: only the disk's tail block is short) share one digest. */
export const ZERO_DIGEST = xxh64(ZERO_BLOCK);

export function isZero(bytes: Buffer): boolean {
  if (bytes.length > BLOCK_BYTES) return isZeroLong(bytes);
  // Three byte probes reject nearly every non-zero block before a native compare is paid.
  if (bytes[0] !== 0 || bytes[bytes.length >> 1] !== 0 || bytes[bytes.length - 1] !== 0) return bytes.length === 0;
  return bytes.equals(bytes.length === BLOCK_BYTES ? ZERO_BLOCK : ZERO_BLOCK.subarray(0, bytes.length));
}

let zeroChunk = Buffer.alloc(0);

/** One native compare over a whole read chunk: twice as fast as per block on sparse disks. */
function isZeroLong(bytes: Buffer): boolean {
  if (bytes[0] !== 0 || bytes[bytes.length - 1] !== 0) return false;
  if (zeroChunk.length < bytes.length) zeroChunk = Buffer.alloc(bytes.length);
  return bytes.equals(zeroChunk.subarray(0, bytes.length));
}

export function blockDigest(block: Buffer): bigint {
  return isZero(block) ? ZERO_DIGEST : dataDigest(block);
}

/** Digest of a block known not to be all zeros. */
export function dataDigest(block: Buffer): bigint {
  const digest = xxh64(block);
  // Keep the "unknown" value free, and zero's digest for zero blocks only.
  return digest === UNKNOWN_DIGEST || digest === ZERO_DIGEST ? digest ^ 1n : digest;
}

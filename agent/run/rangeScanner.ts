/**
 * Scans a disk from a block-aligned offset to its end against the digest map, yielding
 * changed extents (disk/extentRuns) with the digest updates to commit once acknowledged.
 * Unlike disk/changeScanner it can start anywhere: an initial copy resumes at its
 * acknowledged offset instead of re-reading what the server already holds.
 */
import { BLOCK_BYTES, dataDigest, isZero, ZERO_DIGEST } from "../disk/blockDigest";
import { DEFAULT_CHUNK_BYTES, readChunks } from "../disk/chunkReader";
import { DEFAULT_WINDOW_BLOCKS } from "../disk/changeScanner";
import type { DigestMap } from "../disk/digestMap";
import { ExtentRunBuilder, type ChangedExtent } from "../disk/extentRuns";
import type { SourceDisk } from "../disk/sourceDisk";
import { DEFAULT_MAX_EXTENT_BYTES } from "../../shared/replication/batchLimits";

export type ScannedChange = ChangedExtent;

export interface RangeScanOptions {
  start: number;
  chunkBytes?: number;
  maxExtentBytes?: number;
  /** Zero runs are cut at this length so journal progress stays regular on empty disks. */
  maxZeroRunBytes?: number;
  onProgress?: (scannedTo: number) => void;
}

export const DEFAULT_MAX_ZERO_RUN_BYTES = 1024 * 1024 * 1024;

export async function* scanRange(disk: SourceDisk, map: DigestMap, options: RangeScanOptions): AsyncGenerator<ScannedChange> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (options.start % BLOCK_BYTES !== 0 || chunkBytes % BLOCK_BYTES !== 0) throw new RangeError("Scan start and chunk size must be block-aligned.");
  if (map.identity.diskSizeBytes !== disk.sizeBytes) throw new RangeError(`The digest map was made for another size than ${disk.path}.`);
  const chunkBlocks = chunkBytes / BLOCK_BYTES;
  // Windows start at `start` and hold whole chunks, so no chunk straddles two windows.
  const windowBlocks = Math.ceil(DEFAULT_WINDOW_BLOCKS / chunkBlocks) * chunkBlocks;
  const runs = new ExtentRunBuilder({
    blockBytes: BLOCK_BYTES,
    maxDataBytes: options.maxExtentBytes ?? DEFAULT_MAX_EXTENT_BYTES,
    maxZeroBytes: options.maxZeroRunBytes ?? DEFAULT_MAX_ZERO_RUN_BYTES,
  });
  const zeroChunk = Buffer.alloc(chunkBytes);
  let window = { first: 0, digests: new BigUint64Array(0) as BigUint64Array };
  for await (const chunk of readChunks(disk, { start: options.start, end: disk.sizeBytes, chunkBytes })) {
    const firstBlock = chunk.offset / BLOCK_BYTES;
    if (firstBlock >= window.first + window.digests.length) window = { first: firstBlock, digests: await map.readWindow(firstBlock, windowBlocks) };
    // One memcmp settles a chunk of a sparse disk instead of a thousand.
    const allZero = chunk.data.equals(zeroChunk.subarray(0, chunk.data.length));
    yield* compareChunk(chunk.data, firstBlock, window.digests.subarray(firstBlock - window.first), allZero, runs);
    runs.releaseSource();
    options.onProgress?.(chunk.offset + chunk.data.length);
  }
  const last = runs.flush();
  if (last) yield last;
}

function* compareChunk(data: Buffer, firstBlock: number, known: BigUint64Array, allZero: boolean, runs: ExtentRunBuilder): Iterable<ScannedChange> {
  for (let start = 0, index = 0; start < data.length; start += BLOCK_BYTES, index += 1) {
    const length = Math.min(BLOCK_BYTES, data.length - start);
    const zero = allZero || isZero(data.subarray(start, start + length));
    const digest = zero ? ZERO_DIGEST : dataDigest(data.subarray(start, start + length));
    const closed = digest === known[index] ? runs.flush() : runs.add(firstBlock + index, zero ? "zero" : "data", data, start, length, digest);
    if (closed) yield closed;
  }
}

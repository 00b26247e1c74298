/**
 * Finds what changed on a source disk since the last acknowledged state: reads the disk in
 * large chunks, digests each block, compares with the map window by window, and yields
 * coalesced changed extents. The map is not touched: commit `update`s after the ack.
 */
import { BLOCK_BYTES, dataDigest, isZero, ZERO_DIGEST } from "./blockDigest";
import { DEFAULT_CHUNK_BYTES, readChunks } from "./chunkReader";
import type { DigestMap } from "./digestMap";
import { ExtentRunBuilder, type ChangedExtent } from "./extentRuns";
import type { SourceDisk } from "./sourceDisk";

export interface ScanOptions {
  /** Blocks of the map held at once (8 bytes each); rounded up to whole chunks. */
  windowBlocks?: number;
  chunkBytes?: number;
  maxExtentBytes?: number;
}

export const DEFAULT_WINDOW_BLOCKS = 128 * 1024;

export async function* scanForChanges(disk: SourceDisk, map: DigestMap, options: ScanOptions = {}): AsyncGenerator<ChangedExtent> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  checkGeometry(disk, map, chunkBytes);
  const chunkBlocks = chunkBytes / BLOCK_BYTES;
  const windowBlocks = Math.ceil((options.windowBlocks ?? DEFAULT_WINDOW_BLOCKS) / chunkBlocks) * chunkBlocks;
  const runs = new ExtentRunBuilder(BLOCK_BYTES, options.maxExtentBytes ?? 4 * 1024 * 1024);
  let window: { first: number; digests: BigUint64Array } = { first: 0, digests: new BigUint64Array(0) };
  for await (const chunk of readChunks(disk, { start: 0, end: disk.sizeBytes, chunkBytes })) {
    const firstBlock = chunk.offset / BLOCK_BYTES;
    if (firstBlock >= window.first + window.digests.length) {
      window = { first: firstBlock, digests: await map.readWindow(firstBlock, windowBlocks) };
    }
    yield* compareChunk(chunk.data, firstBlock, window.digests.subarray(firstBlock - window.first), runs);
    runs.releaseSource();
  }
  const last = runs.flush();
  if (last) yield last;
}

function* compareChunk(data: Buffer, firstBlock: number, known: BigUint64Array, runs: ExtentRunBuilder): Iterable<ChangedExtent> {
  for (let start = 0, index = 0; start < data.length; start += BLOCK_BYTES, index += 1) {
    const length = Math.min(BLOCK_BYTES, data.length - start);
    const block = data.subarray(start, start + length);
    const zero = isZero(block);
    const digest = zero ? ZERO_DIGEST : dataDigest(block);
    if (digest === known[index]) {
      const closed = runs.flush();
      if (closed) yield closed;
      continue;
    }
    const closed = runs.add(firstBlock + index, zero ? "zero" : "data", data, start, length, digest);
    if (closed) yield closed;
  }
}

function checkGeometry(disk: SourceDisk, map: DigestMap, chunkBytes: number): void {
  if (map.identity.blockBytes !== BLOCK_BYTES || map.identity.diskSizeBytes !== disk.sizeBytes) {
    throw new RangeError(`The digest map was made for another disk geometry than ${disk.path} (${disk.sizeBytes} bytes).`);
  }
  if (chunkBytes <= 0 || chunkBytes % BLOCK_BYTES !== 0) throw new RangeError(`Chunk size must be a multiple of ${BLOCK_BYTES}.`);
}

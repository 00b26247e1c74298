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
  /** Longest zero run; zero runs cost no bytes on the wire, only a record. */
  maxZeroRunBytes?: number;
  /** Block-aligned offset to start at: a resumed initial copy skips what the server holds. */
  start?: number;
  /** Called after each chunk with the offset scanned up to (for a journal or progress). */
  onProgress?: (scannedTo: number) => void;
  /**
   * Yield data that views the scan's own buffers instead of copies: each extent's bytes are
   * valid only until the next one is asked for. For a consumer that writes each extent out
   * before it asks again (the agent's spool); the bytes it writes are still the bytes hashed.
   */
  reuseBuffers?: boolean;
}

export const DEFAULT_WINDOW_BLOCKS = 128 * 1024;

export async function* scanForChanges(
  disk: SourceDisk,
  map: DigestMap,
  options: ScanOptions = {},
): AsyncGenerator<ChangedExtent> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const start = options.start ?? 0;
  checkGeometry(disk, map, chunkBytes, start);
  const chunkBlocks = chunkBytes / BLOCK_BYTES;
  const windowBlocks = Math.ceil((options.windowBlocks ?? DEFAULT_WINDOW_BLOCKS) / chunkBlocks) * chunkBlocks;
  const runs = new ExtentRunBuilder({
    blockBytes: BLOCK_BYTES,
    maxDataBytes: options.maxExtentBytes ?? 4 * 1024 * 1024,
    maxZeroBytes: options.maxZeroRunBytes ?? 1024 * 1024 * 1024,
    reuseBuffers: options.reuseBuffers,
  });
  let window: { first: number; digests: BigUint64Array } = { first: 0, digests: new BigUint64Array(0) };
  // Windows begin at the first chunk read and hold whole chunks, so no chunk straddles two.
  for await (const chunk of readChunks(disk, { start, end: disk.sizeBytes, chunkBytes })) {
    const firstBlock = chunk.offset / BLOCK_BYTES;
    if (firstBlock >= window.first + window.digests.length) {
      window = { first: firstBlock, digests: await map.readWindow(firstBlock, windowBlocks, window.digests) };
    }
    yield* compareChunk(chunk.data, firstBlock, window.digests.subarray(firstBlock - window.first), runs);
    runs.releaseSource();
    options.onProgress?.(chunk.offset + chunk.data.length);
  }
  const last = runs.flush();
  if (last) yield last;
}

function* compareChunk(
  data: Buffer,
  firstBlock: number,
  known: BigUint64Array,
  runs: ExtentRunBuilder,
): Iterable<ChangedExtent> {
  const chunkIsZero = isZero(data);
  for (let start = 0, index = 0; start < data.length; start += BLOCK_BYTES, index += 1) {
    const length = Math.min(BLOCK_BYTES, data.length - start);
    const block = chunkIsZero ? data : data.subarray(start, start + length);
    const zero = chunkIsZero || isZero(block);
    const digest = zero ? ZERO_DIGEST : dataDigest(block);
    if (digest === known[index]) {
      const closed = runs.flush();
      if (closed) yield closed;
      continue;
    }
    const closed = runs.add(firstBlock + index, zero ? "zero" : "data", data, start, length, digest);
    if (closed) yield closed;
    const full = runs.takeFull();
    if (full) yield full;
  }
}

function checkGeometry(disk: SourceDisk, map: DigestMap, chunkBytes: number, start: number): void {
  if (map.identity.blockBytes !== BLOCK_BYTES || map.identity.diskSizeBytes !== disk.sizeBytes) {
    throw new RangeError(
      `The digest map was made for another disk geometry than ${disk.path} (${disk.sizeBytes} bytes).`,
    );
  }
  if (chunkBytes <= 0 || chunkBytes % BLOCK_BYTES !== 0 || start % BLOCK_BYTES !== 0 || start < 0) {
    throw new RangeError(`Chunk size and start must be multiples of ${BLOCK_BYTES}.`);
  }
}

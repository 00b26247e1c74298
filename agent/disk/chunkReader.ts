/**
 * Sequential reads of a disk range in large aligned chunks with two reused buffers: while
 * the caller works on one chunk the next is read, so memory stays at two chunks.
 */
import type { SourceDisk } from "./sourceDisk";

export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

export interface DiskChunk {
  offset: number;
  /** Valid only until the caller asks for the next chunk: asking starts the read into this buffer. */
  data: Buffer;
}

export interface ChunkRange {
  start: number;
  end: number;
  chunkBytes?: number;
}

export async function* readChunks(disk: SourceDisk, range: ChunkRange): AsyncGenerator<DiskChunk> {
  const chunkBytes = range.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const end = Math.min(range.end, disk.sizeBytes);
  const buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
  const readAt = (offset: number, buffer: Buffer): Promise<DiskChunk> =>
    disk
      .read(buffer, Math.min(chunkBytes, end - offset), offset)
      .then((bytes) => ({ offset, data: buffer.subarray(0, bytes) }));
  let turn = 0;
  let pending = range.start < end ? readAt(range.start, buffers[0] as Buffer) : undefined;
  while (pending !== undefined) {
    const chunk = await pending;
    const nextOffset = chunk.offset + chunkBytes;
    turn ^= 1;
    pending = nextOffset < end ? readAt(nextOffset, buffers[turn] as Buffer) : undefined;
    if (chunk.data.length === 0) return;
    yield chunk;
  }
}

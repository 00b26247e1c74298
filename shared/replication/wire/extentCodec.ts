/**
 * The fast extent codec: LZ4 block format as lz4_flex writes it (a u32 LE uncompressed-size
 * prefix, then the LZ4 block). Chosen over zlib deflate for its speed (bench/dataPath/compressBench).
 */
import { compressSync, uncompress, uncompressSync } from "lz4-napi";
import { CODEC, type CodecId } from "./batchFormat";

export interface ExtentCodec {
  readonly id: CodecId;
  compress(data: Buffer): Buffer;
  /** Undefined when the stored bytes do not decode to exactly `length` bytes. */
  decompress(stored: Buffer, length: number): Buffer | undefined;
  /**
   * The same, off the event loop (on libuv's thread pool): the process server decodes batches of many
   * agents at once, and a heartbeat must not wait behind their extents.
   */
  decompressOffLoop(stored: Buffer, length: number): Promise<Buffer | undefined>;
}

/** The prefix sizes lz4_flex's output buffer: it is checked before anything is allocated. */
const prefixHolds = (stored: Buffer, length: number) => stored.length >= 4 && stored.readUInt32LE(0) === length;

export const lz4Codec: ExtentCodec = {
  id: CODEC.lz4,
  compress: (data) => compressSync(data),
  decompress(stored, length) {
    if (!prefixHolds(stored, length)) return undefined;
    try {
      const out = uncompressSync(stored);
      return out.length === length ? out : undefined;
    } catch {
      return undefined;
    }
  },
  async decompressOffLoop(stored, length) {
    if (!prefixHolds(stored, length)) return undefined;
    const out = await uncompress(stored).catch(() => undefined);
    return out?.length === length ? out : undefined;
  },
};

export function codecFor(id: number): ExtentCodec | undefined {
  return id === CODEC.lz4 ? lz4Codec : undefined;
}

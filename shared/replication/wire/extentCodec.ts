/**
 * The fast extent codec: LZ4 block format as lz4_flex writes it (a u32 LE uncompressed-size
 * prefix, then the LZ4 block). Chosen over zlib deflate for its speed (bench/dataPath/compressBench).
 */
import { compressSync, uncompressSync } from "lz4-napi";
import { CODEC, type CodecId } from "./batchFormat";

export interface ExtentCodec {
  readonly id: CodecId;
  compress(data: Buffer): Buffer;
  /** Undefined when the stored bytes do not decode to exactly `length` bytes. */
  decompress(stored: Buffer, length: number): Buffer | undefined;
}

export const lz4Codec: ExtentCodec = {
  id: CODEC.lz4,
  compress: (data) => compressSync(data),
  decompress(stored, length) {
    // The prefix sizes lz4_flex's output buffer: check it before it allocates anything.
    if (stored.length < 4 || stored.readUInt32LE(0) !== length) return undefined;
    try {
      const out = uncompressSync(stored);
      return out.length === length ? out : undefined;
    } catch {
      return undefined;
    }
  },
};

export function codecFor(id: number): ExtentCodec | undefined {
  return id === CODEC.lz4 ? lz4Codec : undefined;
}

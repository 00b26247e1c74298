import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AdaptiveCompressor, CODEC, DEFAULT_COMPRESSOR_OPTIONS, lz4Codec } from "../../shared/replication/wire";

const text = Buffer.alloc(64 * 1024, "a disk full of logs and text ");

describe("adaptive compression", () => {
  it("compresses data that compresses, and decompresses it back", () => {
    const choice = new AdaptiveCompressor().choose(text);
    expect(choice.codec).toBe(CODEC.lz4);
    expect(lz4Codec.decompress(choice.stored, text.length)).toEqual(text);
  });

  it("stores random data raw, then stops trying for a while", () => {
    const compressor = new AdaptiveCompressor();
    expect(compressor.choose(randomBytes(64 * 1024)).codec).toBe(CODEC.none);
    // Within the skip that follows a miss, even text goes raw: the probe is not paid.
    expect(compressor.choose(text).codec).toBe(CODEC.none);
  });

  it("tries again after the skip and doubles it after each further miss", () => {
    const compressor = new AdaptiveCompressor({ ...DEFAULT_COMPRESSOR_OPTIONS, firstSkipBytes: 64 * 1024 });
    compressor.choose(randomBytes(4096));
    expect(compressor.choose(text).codec).toBe(CODEC.none);
    expect(compressor.choose(text).codec).toBe(CODEC.lz4);
  });

  it("probes a large extent on a sample before compressing it whole", () => {
    const large = Buffer.concat([text, randomBytes(512 * 1024), text]);
    expect(new AdaptiveCompressor().choose(large).codec).toBe(CODEC.none);
  });

  it("refuses lz4 bytes whose size prefix disagrees with the expected length", () => {
    const stored = lz4Codec.compress(text);
    expect(lz4Codec.decompress(stored, text.length - 1)).toBeUndefined();
    expect(lz4Codec.decompress(Buffer.from([1, 0, 0, 0, 0xff]), 1)).toBeUndefined();
  });
});

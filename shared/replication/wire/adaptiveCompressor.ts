/**
 * Decides per extent whether compressing pays. Incompressible data (encrypted or already
 * compressed files) must not slow the agent, so after a miss it stops trying for a stretch of
 * bytes that doubles with each further miss; a large extent is first probed on a sample.
 */
import { CODEC, type CodecId } from "./batchFormat";
import { lz4Codec, type ExtentCodec } from "./extentCodec";

export interface CompressionChoice {
  codec: CodecId;
  stored: Buffer;
}

export interface ExtentCompressor {
  choose(data: Buffer): CompressionChoice;
}

export interface AdaptiveCompressorOptions {
  /** Compress only when it saves at least this fraction of the bytes. */
  minSaving: number;
  /** Extents longer than this are probed on a sample of `probeBytes` first. */
  probeAbove: number;
  probeBytes: number;
  /** After the first miss, skip this many bytes; the skip doubles up to `maxSkipBytes`. */
  firstSkipBytes: number;
  maxSkipBytes: number;
}

export const DEFAULT_COMPRESSOR_OPTIONS: AdaptiveCompressorOptions = {
  minSaving: 0.125,
  probeAbove: 128 * 1024,
  probeBytes: 32 * 1024,
  firstSkipBytes: 256 * 1024,
  maxSkipBytes: 64 * 1024 * 1024,
};

export const noCompression: ExtentCompressor = { choose: (data) => ({ codec: CODEC.none, stored: data }) };

export class AdaptiveCompressor implements ExtentCompressor {
  private skipRemaining = 0;
  private nextSkip = 0;

  constructor(
    private readonly options: AdaptiveCompressorOptions = DEFAULT_COMPRESSOR_OPTIONS,
    private readonly codec: ExtentCodec = lz4Codec,
  ) {}

  choose(data: Buffer): CompressionChoice {
    const raw = { codec: CODEC.none, stored: data };
    if (this.skipRemaining > 0) {
      this.skipRemaining -= data.length;
      return raw;
    }
    if (data.length > this.options.probeAbove && !this.pays(this.sampleOf(data))) return this.miss(raw);
    const stored = this.codec.compress(data);
    if (stored.length > data.length * (1 - this.options.minSaving)) return this.miss(raw);
    this.nextSkip = 0;
    return { codec: this.codec.id, stored };
  }

  private pays(sample: Buffer): boolean {
    return this.codec.compress(sample).length <= sample.length * (1 - this.options.minSaving);
  }

  /** A slice from the middle: extent starts are often headers that compress unlike the rest. */
  private sampleOf(data: Buffer): Buffer {
    const start = Math.floor((data.length - this.options.probeBytes) / 2);
    return data.subarray(start, start + this.options.probeBytes);
  }

  private miss(raw: CompressionChoice): CompressionChoice {
    this.nextSkip = Math.min(Math.max(this.nextSkip * 2, this.options.firstSkipBytes), this.options.maxSkipBytes);
    this.skipRemaining = this.nextSkip;
    return raw;
  }
}

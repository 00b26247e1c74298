/**
 * Coalesces changed blocks into extents: adjacent changed blocks of the same kind (data or
 * zero) form one extent, capped at a size the receiver accepts. A data run is kept as a span
 * of the reader's buffer while it lasts; only a run that outlives its chunk is copied, into
 * one carry buffer. Each extent then gets a copy of its own, unless `reuseBuffers`. A zero
 * run keeps no per-block digests, so its memory does not grow with its length.
 */
import type { Extent } from "../../shared/replication/wire";
import { ZERO_DIGEST } from "./blockDigest";
import type { DigestUpdate } from "./digestMap";

/** A changed extent plus the digests to commit once its batch is acknowledged. */
export interface ChangedExtent {
  extent: Extent;
  update: DigestUpdate;
}

export interface RunLimits {
  blockBytes: number;
  maxDataBytes: number;
  maxZeroBytes: number;
  /**
   * Hand out data that views the reader's buffer or the carry buffer instead of a copy of its
   * own: valid only until the builder is next called, so the consumer must be done with an
   * extent (written it out) before the scan goes on. No allocation per extent.
   */
  reuseBuffers?: boolean;
}

interface Run {
  kind: "data" | "zero";
  firstBlock: number;
  offset: number;
  length: number;
  blocks: number;
  /** Bytes of the run already copied into the carry buffer (those before the span). */
  carried: number;
}

export class ExtentRunBuilder {
  private run: Run | undefined;
  /** Span of the open data run that still lives in the reader's buffer. */
  private span: { source: Buffer; start: number; end: number } | undefined;
  private readonly dataDigests: BigUint64Array;
  private carry = Buffer.alloc(0);

  constructor(private readonly limits: RunLimits) {
    this.dataDigests = new BigUint64Array(Math.ceil(limits.maxDataBytes / limits.blockBytes));
  }

  /** Adds one changed block; returns the extent this block closed, if any. */
  add(
    block: number,
    kind: "data" | "zero",
    source: Buffer,
    start: number,
    length: number,
    digest: bigint,
  ): ChangedExtent | undefined {
    const offset = block * this.limits.blockBytes;
    const run = this.run;
    const joins =
      run !== undefined &&
      run.kind === kind &&
      run.offset + run.length === offset &&
      run.length + length <= this.cap(kind);
    const closed = joins ? undefined : this.flush();
    const current = joins && run ? run : this.open(kind, block, offset);
    current.length += length;
    if (kind === "data") {
      this.dataDigests[current.blocks] = digest;
      this.extendSpan(source, start, length);
    }
    current.blocks += 1;
    return closed;
  }

  /** Closes the open run if no further block can join it: a full run leaves before its chunk is reused, uncopied. */
  takeFull(): ChangedExtent | undefined {
    const run = this.run;
    return run !== undefined && run.length + this.limits.blockBytes > this.cap(run.kind) ? this.flush() : undefined;
  }

  /** The reader is about to reuse its buffer: copy out what the open run still points at. */
  releaseSource(): void {
    if (this.run) this.carrySpan(this.run);
  }

  /** Closes the open run (an unchanged block or the disk's end breaks it). */
  flush(): ChangedExtent | undefined {
    const run = this.run;
    this.run = undefined;
    if (run === undefined) return undefined;
    if (run.kind === "zero") {
      return {
        extent: { kind: "zero", offset: run.offset, length: run.length },
        update: { firstBlock: run.firstBlock, blocks: run.blocks, digest: ZERO_DIGEST },
      };
    }
    const data = this.runBytes(run);
    return {
      extent: { kind: "data", offset: run.offset, data },
      update: { firstBlock: run.firstBlock, digests: this.dataDigests.slice(0, run.blocks) },
    };
  }

  /** The closed run's bytes: a view of the reader's buffer when it never left it, else of the carry. */
  private runBytes(run: Run): Buffer {
    const span = this.span;
    let bytes: Buffer;
    if (run.carried === 0 && span) {
      bytes = span.source.subarray(span.start, span.end);
      this.span = undefined;
    } else {
      this.carrySpan(run);
      bytes = this.carry.subarray(0, run.carried);
    }
    return this.limits.reuseBuffers ? bytes : Buffer.from(bytes);
  }

  private carrySpan(run: Run): void {
    const span = this.span;
    if (!span) return;
    if (this.carry.length < this.limits.maxDataBytes) this.carry = Buffer.allocUnsafe(this.limits.maxDataBytes);
    run.carried += span.source.copy(this.carry, run.carried, span.start, span.end);
    this.span = undefined;
  }

  private cap(kind: "data" | "zero"): number {
    return kind === "zero" ? this.limits.maxZeroBytes : this.limits.maxDataBytes;
  }

  private open(kind: "data" | "zero", firstBlock: number, offset: number): Run {
    this.run = { kind, firstBlock, offset, length: 0, blocks: 0, carried: 0 };
    return this.run;
  }

  private extendSpan(source: Buffer, start: number, length: number): void {
    if (this.span && this.span.source === source && this.span.end === start) {
      this.span.end = start + length;
      return;
    }
    this.releaseSource();
    this.span = { source, start, end: start + length };
  }
}

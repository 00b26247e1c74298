/**
 * Coalesces changed blocks into extents: adjacent changed blocks of the same kind (data or
 * zero) form one extent, capped at a size the receiver accepts. Data is copied out of the
 * reader's reused buffer once per contiguous span, not per block; a zero run keeps no
 * per-block digests, so its memory does not grow with its length.
 */
import type { Extent } from "../../shared/replication/batchFormat";
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
}

interface Run {
  kind: "data" | "zero";
  firstBlock: number;
  offset: number;
  length: number;
  blocks: number;
  digests: BigUint64Array;
  pieces: Buffer[];
}

export class ExtentRunBuilder {
  private run: Run | undefined;
  /** Span of the open data run that still lives in the reader's buffer. */
  private span: { source: Buffer; start: number; end: number } | undefined;
  private readonly dataDigests: BigUint64Array;

  constructor(private readonly limits: RunLimits) {
    this.dataDigests = new BigUint64Array(Math.ceil(limits.maxDataBytes / limits.blockBytes));
  }

  /** Adds one changed block; returns the extent this block closed, if any. */
  add(block: number, kind: "data" | "zero", source: Buffer, start: number, length: number, digest: bigint): ChangedExtent | undefined {
    const offset = block * this.limits.blockBytes;
    const run = this.run;
    const cap = kind === "zero" ? this.limits.maxZeroBytes : this.limits.maxDataBytes;
    const joins = run !== undefined && run.kind === kind && run.offset + run.length === offset && run.length + length <= cap;
    const closed = joins ? undefined : this.flush();
    const current = joins && run ? run : this.open(kind, block, offset);
    current.length += length;
    if (kind === "data") {
      current.digests[current.blocks] = digest;
      this.extendSpan(source, start, length);
    }
    current.blocks += 1;
    return closed;
  }

  /** The reader is about to reuse its buffer: copy out what the open run still points at. */
  releaseSource(): void {
    if (this.span && this.run) this.run.pieces.push(Buffer.from(this.span.source.subarray(this.span.start, this.span.end)));
    this.span = undefined;
  }

  /** Closes the open run (an unchanged block or the disk's end breaks it). */
  flush(): ChangedExtent | undefined {
    this.releaseSource();
    const run = this.run;
    this.run = undefined;
    if (run === undefined) return undefined;
    if (run.kind === "zero") {
      return {
        extent: { kind: "zero", offset: run.offset, length: run.length },
        update: { firstBlock: run.firstBlock, blocks: run.blocks, digest: ZERO_DIGEST },
      };
    }
    const data = run.pieces.length === 1 ? (run.pieces[0] as Buffer) : Buffer.concat(run.pieces);
    return { extent: { kind: "data", offset: run.offset, data }, update: { firstBlock: run.firstBlock, digests: run.digests.slice(0, run.blocks) } };
  }

  private open(kind: "data" | "zero", firstBlock: number, offset: number): Run {
    this.run = { kind, firstBlock, offset, length: 0, blocks: 0, digests: this.dataDigests, pieces: [] };
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

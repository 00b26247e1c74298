/**
 * Coalesces changed blocks into extents: adjacent changed blocks of the same kind (data or
 * zero) form one extent, data extents capped at a size the receiver accepts. Data is copied
 * out of the reader's reused buffer once per contiguous span, not per block.
 */
import type { Extent } from "../../shared/replication/batchFormat";
import type { DigestUpdate } from "./digestMap";

/** A changed extent plus the digests to commit once its batch is acknowledged. */
export interface ChangedExtent {
  extent: Extent;
  update: DigestUpdate;
}

interface Run {
  kind: "data" | "zero";
  firstBlock: number;
  offset: number;
  length: number;
  digests: bigint[];
  pieces: Buffer[];
}

export class ExtentRunBuilder {
  private run: Run | undefined;
  /** Span of the open data run that still lives in the reader's buffer. */
  private span: { source: Buffer; start: number; end: number } | undefined;

  constructor(private readonly blockBytes: number, private readonly maxDataBytes: number) {}

  /** Adds one changed block; returns the extent this block closed, if any. */
  add(block: number, kind: "data" | "zero", source: Buffer, start: number, length: number, digest: bigint): ChangedExtent | undefined {
    const offset = block * this.blockBytes;
    const run = this.run;
    const joins = run !== undefined && run.kind === kind && run.offset + run.length === offset &&
      (kind === "zero" || run.length + length <= this.maxDataBytes);
    const closed = joins ? undefined : this.flush();
    const current = joins && run ? run : (this.run = { kind, firstBlock: block, offset, length: 0, digests: [], pieces: [] });
    current.length += length;
    current.digests.push(digest);
    if (kind === "data") this.extendSpan(source, start, length);
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
    const update = { firstBlock: run.firstBlock, digests: BigUint64Array.from(run.digests) };
    const extent: Extent = run.kind === "zero"
      ? { kind: "zero", offset: run.offset, length: run.length }
      : { kind: "data", offset: run.offset, data: run.pieces.length === 1 ? (run.pieces[0] as Buffer) : Buffer.concat(run.pieces) };
    return { extent, update };
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

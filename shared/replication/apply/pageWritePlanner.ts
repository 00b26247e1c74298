/**
 * Turns a batch's sorted, disjoint extents into page-blob writes: 512-byte aligned, adjacent
 * extents coalesced up to the largest write Azure accepts (4 MiB), zero runs as Clear Pages.
 * Extents that start or end inside a page are completed from the replica's current bytes
 * (read-modify-write), so any byte-exact extent applies, e.g. a disk's last partial block.
 */
import { takeFront, type Extent, type ReceivedExtent } from "../wire";

export const PAGE_BYTES = 512;
export const MAX_PAGE_WRITE_BYTES = 4 * 1024 * 1024;

/** A page write's bytes are `parts` in order (views of received or staged buffers, not joined). */
export type PageWrite =
  | { kind: "write"; offset: number; length: number; parts: readonly Buffer[] }
  | { kind: "clear"; offset: number; length: number };

export interface PagePlannerIo {
  /** The replica's current 512 bytes at an aligned offset (pages this batch has not written yet). */
  readPage(offset: number): Promise<Buffer>;
  /** Performs one write; disjoint writes may run concurrently. */
  write(write: PageWrite): Promise<void>;
}

const floorPage = (n: number) => n - (n % PAGE_BYTES);
const ceilPage = (n: number) => Math.ceil(n / PAGE_BYTES) * PAGE_BYTES;

export class PageWritePlanner {
  private start = 0;
  private parts: Buffer[] = [];
  private length = 0;
  private clear: { start: number; end: number } | undefined;
  private readonly inflight = new Set<Promise<void>>();
  private inflightBytes = 0;
  private failure: unknown;

  /**
   * Up to `concurrency` writes in flight, and no more than `maxInflightBytes` of data: small
   * scattered writes are bound by storage's per-request latency, large ones by bytes.
   */
  constructor(
    private readonly io: PagePlannerIo,
    private readonly maxWriteBytes = MAX_PAGE_WRITE_BYTES,
    private readonly concurrency = 8,
    private readonly maxInflightBytes = 4 * MAX_PAGE_WRITE_BYTES,
  ) {}

  async add(extent: Extent | ReceivedExtent): Promise<void> {
    if (extent.kind === "data") return this.addData(extent.offset, "parts" in extent ? extent.parts : [extent.data]);
    const end = extent.offset + extent.length;
    const headEnd = Math.min(end, ceilPage(extent.offset));
    if (headEnd > extent.offset) await this.addData(extent.offset, [Buffer.alloc(headEnd - extent.offset)]);
    const middle = { start: ceilPage(extent.offset), end: floorPage(end) };
    if (middle.end > middle.start) {
      await this.flushData();
      await this.addClear(middle.start, middle.end);
    }
    const tailStart = Math.max(middle.end, headEnd);
    if (end > tailStart) await this.addData(tailStart, [Buffer.alloc(end - tailStart)]);
  }

  /** Emits what is left and waits for every write. */
  async finish(): Promise<void> {
    await this.flushData();
    if (this.clear)
      await this.emit({ kind: "clear", offset: this.clear.start, length: this.clear.end - this.clear.start });
    this.clear = undefined;
    await Promise.all(this.inflight);
    if (this.failure !== undefined) throw this.failure;
  }

  /** Waits out the writes in flight without starting more: for a batch abandoned half way. */
  async abandon(): Promise<void> {
    this.failure ??= new Error("The batch was abandoned.");
    await Promise.allSettled(this.inflight);
  }

  private get end(): number {
    return this.start + this.length;
  }

  private async addData(offset: number, data: readonly Buffer[]): Promise<void> {
    if (this.length > 0 && offset !== this.end) {
      if (floorPage(offset) < ceilPage(this.end)) {
        const page = floorPage(this.end);
        this.append((await this.io.readPage(page)).subarray(this.end - page, offset - page));
      } else {
        await this.flushData();
      }
    }
    if (this.length === 0) {
      this.start = floorPage(offset);
      if (offset > this.start) this.append((await this.io.readPage(this.start)).subarray(0, offset - this.start));
    }
    for (const part of data) this.append(part);
    while (this.length > this.maxWriteBytes) await this.emitHead(this.maxWriteBytes);
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  /** Writes the first `bytes` (a whole number of pages) of the open run and keeps the rest open. */
  private async emitHead(bytes: number): Promise<void> {
    const head = { kind: "write" as const, offset: this.start, length: bytes, parts: takeFront(this.parts, bytes) };
    this.start += bytes;
    this.length -= bytes;
    await this.emit(head);
  }

  /** Closes the open run, completing its last partial page from the replica. */
  private async flushData(): Promise<void> {
    if (this.length === 0) return;
    const tail = ceilPage(this.end) - this.end;
    if (tail > 0) {
      const page = floorPage(this.end);
      this.append((await this.io.readPage(page)).subarray(this.end - page));
    }
    await this.emitHead(this.length);
  }

  private async addClear(start: number, end: number): Promise<void> {
    if (this.clear && this.clear.end === start) {
      this.clear.end = end;
      return;
    }
    if (this.clear)
      await this.emit({ kind: "clear", offset: this.clear.start, length: this.clear.end - this.clear.start });
    this.clear = { start, end };
  }

  private async emit(write: PageWrite): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    const bytes = write.kind === "write" ? write.length : 0;
    while (
      this.inflight.size >= this.concurrency ||
      (this.inflight.size > 0 && this.inflightBytes + bytes > this.maxInflightBytes)
    )
      await Promise.race(this.inflight);
    this.inflightBytes += bytes;
    const task: Promise<void> = this.io
      .write(write)
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => {
        this.inflight.delete(task);
        this.inflightBytes -= bytes;
      });
    this.inflight.add(task);
  }
}

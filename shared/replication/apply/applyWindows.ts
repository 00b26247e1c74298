/**
 * Several acknowledged batches applied as one pass over the disk, 4 MiB window by window.
 * Each batch's extents are sorted and disjoint, but two batches may overlap: the later one
 * wins. A window that many small extents touch is read from the replica once, patched in
 * sequence order and written back as one page write — storage takes a few hundred 4 KiB writes
 * a second but rewrites a 4 MiB window in tens of milliseconds. Other windows go out as the
 * extents that remain visible once later batches cover earlier ones.
 */
import { extentLength, type Extent } from "../wire";

export const WINDOW_BYTES = 4 * 1024 * 1024;

/** One window's slices of the batches' extents, in sequence order (later ones win). */
export interface Window {
  start: number;
  pieces: Extent[];
}

const endOf = (extent: Extent) => extent.offset + extentLength(extent);

/** The part of `extent` within [start, end). */
export function clip(extent: Extent, start: number, end: number): Extent {
  const from = Math.max(start, extent.offset);
  const to = Math.min(end, endOf(extent));
  if (extent.kind === "zero") return { kind: "zero", offset: from, length: to - from };
  return { kind: "data", offset: from, data: extent.data.subarray(from - extent.offset, to - extent.offset) };
}

/** The extents as a reader sees them once all are applied in order: disjoint, sorted by offset. */
export function overlay(pieces: readonly Extent[]): Extent[] {
  let visible: Extent[] = [];
  for (const piece of pieces) {
    const start = piece.offset;
    const end = endOf(piece);
    const kept: Extent[] = [];
    for (const earlier of visible) {
      if (endOf(earlier) <= start || earlier.offset >= end) {
        kept.push(earlier);
        continue;
      }
      if (earlier.offset < start) kept.push(clip(earlier, earlier.offset, start));
      if (endOf(earlier) > end) kept.push(clip(earlier, end, endOf(earlier)));
    }
    kept.push(piece);
    visible = kept;
  }
  return visible.sort((a, b) => a.offset - b.offset);
}

/** Writes `pieces` in order into `window`, which holds the disk's bytes from `start`. */
export function patch(window: Buffer, start: number, pieces: readonly Extent[]): Buffer {
  for (const piece of pieces) {
    if (piece.kind === "data") piece.data.copy(window, piece.offset - start);
    else window.fill(0, piece.offset - start, piece.offset - start + piece.length);
  }
  return window;
}

async function nextOf(source: Iterator<Extent, unknown> | AsyncIterator<Extent, unknown>): Promise<Extent | undefined> {
  const next = await source.next();
  return next.done ? undefined : next.value;
}

/**
 * Walks the sources (one per batch, in sequence order, each sorted by offset) window by window,
 * yielding only windows some extent touches. An extent longer than a window is cut at window
 * edges. Holds one window's extents of every source at a time.
 */
export async function* windows(
  sources: readonly (Iterator<Extent, unknown> | AsyncIterator<Extent, unknown>)[],
  windowBytes = WINDOW_BYTES,
): AsyncGenerator<Window> {
  const heads: (Extent | undefined)[] = await Promise.all(sources.map(nextOf));
  for (;;) {
    const first = Math.min(...heads.map((head) => (head ? head.offset : Number.POSITIVE_INFINITY)));
    if (first === Number.POSITIVE_INFINITY) return;
    const start = first - (first % windowBytes);
    const end = start + windowBytes;
    const pieces: Extent[] = [];
    for (const [i, source] of sources.entries()) {
      for (let head = heads[i]; head && head.offset < end; head = heads[i]) {
        pieces.push(endOf(head) <= end ? head : clip(head, head.offset, end));
        heads[i] = endOf(head) > end ? clip(head, end, endOf(head)) : await nextOf(source);
      }
    }
    yield { start, pieces };
  }
}

/** Where a rewritten window is read from and written to. */
export interface WindowIo {
  read(start: number, length: number): Promise<Buffer>;
  write(start: number, data: Buffer): Promise<void>;
}

/**
 * Rewrites whole windows, a few at a time: each is read, patched with its pieces in sequence
 * order and written back. Windows are disjoint and no 512-byte page straddles two, so rewrites
 * may run beside any other writes of the same pass.
 */
export class WindowRewriter {
  private readonly running = new Set<Promise<void>>();
  private failure: unknown;

  constructor(
    private readonly io: WindowIo,
    private readonly inFlight = 3,
  ) {}

  async add(start: number, length: number, pieces: readonly Extent[]): Promise<void> {
    while (this.running.size >= this.inFlight) await Promise.race(this.running);
    if (this.failure !== undefined) throw this.failure;
    const run: Promise<void> = this.rewrite(start, length, pieces)
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Waits for every rewrite; the first failure, if any, is thrown. */
  async finish(): Promise<void> {
    await Promise.all(this.running);
    if (this.failure !== undefined) throw this.failure;
  }

  /** Waits out the rewrites in flight, whatever they end in: for a pass given up half way. */
  async abandon(): Promise<void> {
    await Promise.all(this.running);
  }

  private async rewrite(start: number, length: number, pieces: readonly Extent[]): Promise<void> {
    await this.io.write(start, patch(await this.io.read(start, length), start, pieces));
  }
}

/**
 * The digest updates of one spooled batch, kept until its ack: tens of thousands of small
 * extents (random 4 KiB writes) would otherwise be as many objects and typed arrays held for
 * the life of the batch. Here they are two growable typed arrays, a few bytes per extent.
 */
import type { DigestUpdate } from "./digestMap";

/** Per run: first block, block count, index of its first digest, 1 when one digest covers every block. */
const RUN_FIELDS = 4;

export class DigestUpdateList implements Iterable<DigestUpdate> {
  private runs = new Float64Array(RUN_FIELDS * 256);
  private digests = new BigUint64Array(1024);
  private runCount = 0;
  private digestCount = 0;

  get length(): number {
    return this.runCount;
  }

  add(update: DigestUpdate): void {
    const uniform = !("digests" in update);
    const count = uniform ? 1 : update.digests.length;
    this.digests = grown(this.digests, this.digestCount + count, (length) => new BigUint64Array(length));
    if (uniform) this.digests[this.digestCount] = update.digest;
    else this.digests.set(update.digests, this.digestCount);
    this.runs = grown(this.runs, (this.runCount + 1) * RUN_FIELDS, (length) => new Float64Array(length));
    const at = this.runCount * RUN_FIELDS;
    this.runs[at] = update.firstBlock;
    this.runs[at + 1] = uniform ? update.blocks : count;
    this.runs[at + 2] = this.digestCount;
    this.runs[at + 3] = uniform ? 1 : 0;
    this.digestCount += count;
    this.runCount += 1;
  }

  /** Views into the list: valid while the list is not added to. */
  *[Symbol.iterator](): Iterator<DigestUpdate> {
    for (let run = 0; run < this.runCount; run += 1) {
      const [firstBlock = 0, blocks = 0, at = 0, uniform = 0] = this.runs.subarray(
        run * RUN_FIELDS,
        (run + 1) * RUN_FIELDS,
      );
      yield uniform === 1
        ? { firstBlock, blocks, digest: this.digests[at] ?? 0n }
        : { firstBlock, digests: this.digests.subarray(at, at + blocks) };
    }
  }
}

/** The same array, or a copy at least twice as long once `needed` outgrows it. */
function grown<T extends { readonly length: number; set(source: T): void }>(
  array: T,
  needed: number,
  make: (length: number) => T,
): T {
  if (needed <= array.length) return array;
  const copy = make(Math.max(needed, array.length * 2));
  copy.set(array);
  return copy;
}

import { randomBytes } from "node:crypto";
import type { BlobRef } from "./blobContainers";
import { Containers, statusOf } from "./blobContainers";

/** Stages a block blob while its bytes stream in; nothing is visible until `commit`. */
export interface BlobStager {
  append(bytes: Buffer): Promise<void>;
  /** Waits for staged blocks, then commits them as the blob's content. */
  commit(metadata?: Record<string, string>): Promise<void>;
}

/** The process server's cache: staged batches as block blobs. */
export interface CacheBlobs {
  stage(ref: BlobRef): BlobStager;
  /** The blob in consecutive ranges of `rangeBytes` (Azurite fails on huge GETs). */
  readRanges(ref: BlobRef, rangeBytes?: number): AsyncIterable<Buffer>;
  delete(ref: BlobRef): Promise<void>;
  list(container: string, prefix: string): AsyncIterable<{ name: string; lastModified: Date }>;
}

const BLOCK_BYTES = 8 * 1024 * 1024;
const READ_RANGE_BYTES = 8 * 1024 * 1024;
const STAGE_CONCURRENCY = 2;

class AzureBlobStager implements BlobStager {
  private parts: Buffer[] = [];
  private buffered = 0;
  private readonly blockIds: string[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private failure: unknown;
  // Block ids are per blob and must share one length; a random stem keeps retries apart.
  private readonly stem = randomBytes(6).toString("hex");

  constructor(
    private readonly containers: Containers,
    private readonly ref: BlobRef,
  ) {}

  async append(bytes: Buffer): Promise<void> {
    this.parts.push(bytes);
    this.buffered += bytes.length;
    if (this.buffered >= BLOCK_BYTES) await this.flush();
  }

  async commit(metadata: Record<string, string> = {}): Promise<void> {
    await this.flush();
    await Promise.all(this.inflight);
    if (this.failure !== undefined) throw this.failure;
    const container = await this.containers.get(this.ref.container);
    await container.getBlockBlobClient(this.ref.name).commitBlockList(this.blockIds, { metadata });
  }

  private async flush(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    if (this.buffered === 0) return;
    const block = Buffer.concat(this.parts, this.buffered);
    this.parts = [];
    this.buffered = 0;
    const id = Buffer.from(`${this.stem}-${String(this.blockIds.length).padStart(6, "0")}`).toString("base64");
    this.blockIds.push(id);
    while (this.inflight.size >= STAGE_CONCURRENCY) await Promise.race(this.inflight);
    const task: Promise<void> = this.containers
      .get(this.ref.container)
      .then((c) => c.getBlockBlobClient(this.ref.name).stageBlock(id, block, block.length))
      .then(
        () => undefined,
        (error: unknown) => {
          this.failure ??= error;
        },
      )
      .finally(() => this.inflight.delete(task));
    this.inflight.add(task);
  }
}

export class AzureCacheBlobs implements CacheBlobs {
  constructor(private readonly containers: Containers) {}

  stage(ref: BlobRef): BlobStager {
    return new AzureBlobStager(this.containers, ref);
  }

  async *readRanges(ref: BlobRef, rangeBytes = READ_RANGE_BYTES): AsyncIterable<Buffer> {
    const blob = this.containers.peek(ref.container).getBlobClient(ref.name);
    const size = (await blob.getProperties()).contentLength ?? 0;
    const fetch = (at: number) => {
      const range = blob.downloadToBuffer(at, Math.min(rangeBytes, size - at));
      range.catch(() => undefined); // read again below; a consumer that stops early never sees it
      return range;
    };
    // One range ahead: the next download overlaps with the caller's work on this one.
    let next = size > 0 ? fetch(0) : undefined;
    for (let at = 0; at < size; at += rangeBytes) {
      const current = await (next as Promise<Buffer>);
      next = at + rangeBytes < size ? fetch(at + rangeBytes) : undefined;
      yield current;
    }
  }

  async delete(ref: BlobRef): Promise<void> {
    try {
      await this.containers.peek(ref.container).getBlobClient(ref.name).deleteIfExists();
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  async *list(container: string, prefix: string): AsyncIterable<{ name: string; lastModified: Date }> {
    try {
      for await (const blob of this.containers.peek(container).listBlobsFlat({ prefix })) {
        yield { name: blob.name, lastModified: blob.properties.lastModified };
      }
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
}

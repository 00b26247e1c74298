import { Readable } from "node:stream";
import type { BlobClient, PageBlobClient } from "@azure/storage-blob";
import type { ByteRange } from "../domain/byteRange";
import { Containers, statusOf } from "../storage/blobContainers";
import type { SnapshotSource } from "./targetProvider";

/** The container holding every target VHD; names inside start with the project and VM ids. */
export const targetsContainer = "ferry-targets";

/** Azurite fails on huge GETs and a Function's memory is small: stream disks in ranges this big. */
export const diskReadChunkBytes = 4 * 1024 * 1024;

const copyPollMs = 500;

export interface MaterializedBlob {
  url: string;
  sizeBytes: number;
}

/**
 * Target VHD page blobs. Each is a server-side copy of a recovery-point snapshot in the same
 * account, authorized by the client's own shared key or identity (never a SAS source, which
 * Azurite buffers whole); in Azurite that copy is metadata only. A copy shares pages with its
 * source there, so nothing ever writes to a target blob: it is created, read and deleted.
 */
export class TargetBlobs {
  constructor(private readonly containers: Containers) {}

  sourceUrl(source: SnapshotSource): string {
    return this.containers.peek(source.container).getBlobClient(source.blobName).withSnapshot(source.snapshot).url;
  }

  blobUrl(name: string): string {
    return this.containers.peek(targetsContainer).getBlobClient(name).url;
  }

  /** Copies the snapshot to `name` (with `metadata`) unless an earlier call already did; waits for the copy. */
  async materialize(
    source: SnapshotSource,
    name: string,
    abortSignal?: AbortSignal,
    metadata?: Record<string, string>,
  ): Promise<MaterializedBlob> {
    const target = (await this.containers.get(targetsContainer)).getPageBlobClient(name);
    const sourceUrl = this.sourceUrl(source);
    const existing = await properties(target, abortSignal);
    if (existing?.copySource === sourceUrl && existing.copyStatus !== "failed" && existing.copyStatus !== "aborted") {
      if (existing.copyStatus === "pending") await waitForCopy(target, abortSignal);
    } else {
      // A failed attempt or a blob from another source: start over rather than trust it.
      if (existing !== undefined) await target.deleteIfExists({ abortSignal });
      const poller = await target.beginCopyFromURL(sourceUrl, { abortSignal, intervalInMs: copyPollMs, metadata });
      await poller.pollUntilDone();
    }
    const done = await properties(target, abortSignal);
    if (done?.copyStatus !== undefined && done.copyStatus !== "success")
      throw new Error(`Copy of ${name} ended ${done.copyStatus}.`);
    return { url: target.url, sizeBytes: done?.contentLength ?? 0 };
  }

  async exists(name: string, abortSignal?: AbortSignal): Promise<boolean> {
    return (
      (await properties(this.containers.peek(targetsContainer).getPageBlobClient(name), abortSignal)) !== undefined
    );
  }

  async sizeOf(name: string, abortSignal?: AbortSignal): Promise<number | undefined> {
    return (await properties(this.containers.peek(targetsContainer).getBlobClient(name), abortSignal))?.contentLength;
  }

  /** Bytes `range` of a blob, fetched one chunk at a time only as the reader asks for more. */
  read(name: string, range: ByteRange, abortSignal?: AbortSignal): Readable {
    const blob = this.containers.peek(targetsContainer).getBlobClient(name);
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let offset = range.start; offset <= range.end; offset += diskReadChunkBytes) {
        const count = Math.min(diskReadChunkBytes, range.end + 1 - offset);
        yield await blob.downloadToBuffer(offset, count, { abortSignal });
      }
    }
    // Byte mode with a tiny high-water mark: at most one chunk is read ahead of the consumer.
    return Readable.from(chunks(), { objectMode: false, highWaterMark: 1 });
  }

  /** Every blob under `prefix`, with its metadata; none when the container does not exist yet. */
  async listWithMetadata(
    prefix: string,
    abortSignal?: AbortSignal,
  ): Promise<{ name: string; metadata: Record<string, string> }[]> {
    const found: { name: string; metadata: Record<string, string> }[] = [];
    try {
      const blobs = this.containers
        .peek(targetsContainer)
        .listBlobsFlat({ prefix, includeMetadata: true, abortSignal });
      for await (const blob of blobs) found.push({ name: blob.name, metadata: blob.metadata ?? {} });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    return found;
  }

  /** Deletes every blob under `prefix`; an absent blob or container is fine. */
  async deletePrefix(prefix: string, abortSignal?: AbortSignal): Promise<void> {
    const container = this.containers.peek(targetsContainer);
    try {
      for await (const blob of container.listBlobsFlat({ prefix, abortSignal })) {
        await container.getBlobClient(blob.name).deleteIfExists({ deleteSnapshots: "include", abortSignal });
      }
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
}

async function properties(blob: BlobClient, abortSignal?: AbortSignal) {
  try {
    return await blob.getProperties({ abortSignal });
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

async function waitForCopy(blob: PageBlobClient, abortSignal?: AbortSignal): Promise<void> {
  for (;;) {
    const now = await properties(blob, abortSignal);
    if (now?.copyStatus !== "pending") return;
    await new Promise((resolve) => setTimeout(resolve, copyPollMs));
    abortSignal?.throwIfAborted();
  }
}

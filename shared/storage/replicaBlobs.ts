import type { ByteRange } from "../domain/byteRange";
import { Readable } from "node:stream";
import type { PageBlobClient } from "@azure/storage-blob";
import type { BlobRef } from "./blobContainers";
import { codeOf, Containers, statusOf } from "./blobContainers";

/** A held blob lease: writes to the blob need its id, so a writer that lost it is fenced off. */
export interface BlobLease {
  readonly id: string;
  renew(): Promise<void>;
  release(): Promise<void>;
}

/** Replica disks: page blobs written in place, snapshotted for recovery points. */
export interface ReplicaBlobs {
  /** Creates the page blob unless it exists (never overwrites); true when this call created it. */
  createIfAbsent(ref: BlobRef, sizeBytes: number): Promise<boolean>;
  /** A lease for `seconds` (15-60), or undefined while another holder has it. */
  lease(ref: BlobRef, seconds: number): Promise<BlobLease | undefined>;
  /** Writes `data` (one buffer, or parts sent in order as one body) at a page-aligned offset. */
  writePages(ref: BlobRef, offset: number, data: Buffer | readonly Buffer[], leaseId: string): Promise<void>;
  clearPages(ref: BlobRef, offset: number, length: number, leaseId: string): Promise<void>;
  read(ref: BlobRef, offset: number, count: number, snapshot?: string): Promise<Buffer>;
  /** The ranges (inclusive ends) holding written pages within `count` bytes from `offset`; a new page blob has none. */
  writtenRanges(ref: BlobRef, offset: number, count: number): Promise<ByteRange[]>;
  snapshot(ref: BlobRef, leaseId: string): Promise<string>;
  deleteSnapshot(ref: BlobRef, snapshot: string): Promise<void>;
  /** Deletes the replica and every snapshot of it; absent is fine. */
  deleteWithSnapshots(ref: BlobRef): Promise<void>;
  listSnapshots(
    container: string,
    prefix: string,
  ): AsyncIterable<{ name: string; snapshot: string; lastModified: Date }>;
}

/** Parts at least this long on average are streamed as they are; smaller ones are joined first. */
const STREAMED_PART_BYTES = 16 * 1024;

/**
 * A page write's body. Large parts (socket chunks of a received extent) are streamed without
 * joining them, which would copy every byte once more; many small parts are joined, as one
 * socket write beats hundreds. A stream is made anew for each attempt, so a retry resends.
 */
function pageBody(data: Buffer | readonly Buffer[]): { body: Buffer | (() => Readable); length: number } {
  if (Buffer.isBuffer(data)) return { body: data, length: data.length };
  const length = data.reduce((sum, part) => sum + part.length, 0);
  if (data.length === 1) return { body: data[0] as Buffer, length };
  if (length / data.length < STREAMED_PART_BYTES) return { body: Buffer.concat(data, length), length };
  return { body: () => new PartsBody(data), length };
}

/**
 * Parts as one request body. Piped (as the SDK sends a stream body), it writes every part to
 * the corked request and ends it, so the parts leave in one vectored socket write instead of a
 * write per part; read as a stream, it yields the parts in order.
 */
class PartsBody extends Readable {
  constructor(private readonly parts: readonly Buffer[]) {
    super();
  }

  override pipe<T extends NodeJS.WritableStream>(destination: T): T {
    // An http.ClientRequest corks like a Writable but is not one.
    if (corkable(destination)) destination.cork();
    for (const part of this.parts) destination.write(part);
    destination.end();
    // Ended as a stream too, for whoever waits on it.
    this.push(null);
    this.resume();
    return destination;
  }

  override _read(): void {
    for (const part of this.parts) this.push(part);
    this.push(null);
  }
}

function corkable(stream: NodeJS.WritableStream): stream is NodeJS.WritableStream & { cork(): void } {
  return typeof (stream as { cork?: unknown }).cork === "function";
}

/** Page blob clients kept per replica: building one per page write costs more than a small write itself. */
const CLIENTS_KEPT = 512;

export class AzureReplicaBlobs implements ReplicaBlobs {
  private readonly clients = new Map<string, PageBlobClient>();

  constructor(private readonly containers: Containers) {}

  private async page(ref: BlobRef): Promise<PageBlobClient> {
    const key = `${ref.container}/${ref.name}`;
    const kept = this.clients.get(key);
    if (kept) return kept;
    const client = (await this.containers.get(ref.container)).getPageBlobClient(ref.name);
    if (this.clients.size >= CLIENTS_KEPT) this.clients.clear();
    this.clients.set(key, client);
    return client;
  }

  async createIfAbsent(ref: BlobRef, sizeBytes: number): Promise<boolean> {
    try {
      // ifNoneMatch "*": Azure's Put Blob would otherwise replace a live replica with zeros.
      await (await this.page(ref)).create(sizeBytes, { conditions: { ifNoneMatch: "*" } });
      return true;
    } catch (error) {
      if (statusOf(error) === 409 || statusOf(error) === 412) return false;
      throw error;
    }
  }

  async lease(ref: BlobRef, seconds: number): Promise<BlobLease | undefined> {
    const client = (await this.page(ref)).getBlobLeaseClient();
    try {
      await client.acquireLease(seconds);
    } catch (error) {
      if (statusOf(error) === 409 && codeOf(error) === "LeaseAlreadyPresent") return undefined;
      throw error;
    }
    return {
      id: client.leaseId,
      renew: async () => {
        await client.renewLease();
      },
      release: async () => {
        try {
          await client.releaseLease();
        } catch (error) {
          if (statusOf(error) !== 409 && statusOf(error) !== 412) throw error; // lost or expired: nothing to release
        }
      },
    };
  }

  async writePages(ref: BlobRef, offset: number, data: Buffer | readonly Buffer[], leaseId: string): Promise<void> {
    const { body, length } = pageBody(data);
    await (await this.page(ref)).uploadPages(body, offset, length, { conditions: { leaseId } });
  }

  async clearPages(ref: BlobRef, offset: number, length: number, leaseId: string): Promise<void> {
    await (await this.page(ref)).clearPages(offset, length, { conditions: { leaseId } });
  }

  async read(ref: BlobRef, offset: number, count: number, snapshot?: string): Promise<Buffer> {
    const blob = this.containers.peek(ref.container).getPageBlobClient(ref.name);
    return (snapshot === undefined ? blob : blob.withSnapshot(snapshot)).downloadToBuffer(offset, count);
  }

  async writtenRanges(ref: BlobRef, offset: number, count: number): Promise<ByteRange[]> {
    const ranges: ByteRange[] = [];
    for await (const range of (await this.page(ref)).listPageRanges(offset, count))
      ranges.push({ start: range.start, end: range.end });
    return ranges;
  }

  async snapshot(ref: BlobRef, leaseId: string): Promise<string> {
    const taken = await (await this.page(ref)).createSnapshot({ conditions: { leaseId } });
    if (!taken.snapshot) throw new Error(`Storage returned no snapshot id for ${ref.name}.`);
    return taken.snapshot;
  }

  async deleteWithSnapshots(ref: BlobRef): Promise<void> {
    await this.containers.peek(ref.container).getBlobClient(ref.name).deleteIfExists({ deleteSnapshots: "include" });
  }

  async deleteSnapshot(ref: BlobRef, snapshot: string): Promise<void> {
    try {
      await this.containers.peek(ref.container).getBlobClient(ref.name).withSnapshot(snapshot).deleteIfExists();
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  async *listSnapshots(
    container: string,
    prefix: string,
  ): AsyncIterable<{ name: string; snapshot: string; lastModified: Date }> {
    try {
      for await (const blob of this.containers.peek(container).listBlobsFlat({ prefix, includeSnapshots: true })) {
        if (blob.snapshot)
          yield { name: blob.name, snapshot: blob.snapshot, lastModified: blob.properties.lastModified };
      }
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
}

/**
 * The storage ceiling: the same bytes uploaded straight into Azurite with @azure/storage-blob
 * as 4 MiB page writes, one at a time or `inFlight` at once, read from the image file.
 */
import { randomBytes } from "node:crypto";
import { open } from "node:fs/promises";
import { BlobServiceClient, type PageBlobClient } from "@azure/storage-blob";
import { startAzurite } from "../../devhost/azurite/embedded";
import { cpuSeconds } from "../support/peakRss";
import { MiB } from "./images";

const PAGE_WRITE = 4 * MiB;

/** Runs `use` on a new page blob of `sizeBytes` (rounded up to a page) in a container of its own, deleted afterwards. */
async function withScratchPageBlob<T>(
  connectionString: string,
  sizeBytes: number,
  use: (blob: PageBlobClient) => Promise<T>,
): Promise<T> {
  const container = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(
    `raw-${randomBytes(4).toString("hex")}`,
  );
  await container.create();
  try {
    const blob = container.getPageBlobClient("raw.vhd");
    await blob.create(Math.ceil(sizeBytes / 512) * 512);
    return await use(blob);
  } finally {
    await container.delete();
  }
}

/** MB/s (10^6 bytes a second) of uploading the file as 4 MiB page writes. */
export async function rawPageUpload(
  connectionString: string,
  file: string,
  sizeBytes: number,
  inFlight: number,
): Promise<number> {
  const padded = Math.ceil(sizeBytes / 512) * 512;
  return withScratchPageBlob(connectionString, sizeBytes, async (blob) => {
    const handle = await open(file, "r");
    try {
      const started = performance.now();
      let next = 0;
      const lane = async () => {
        const buffer = Buffer.alloc(PAGE_WRITE);
        for (let at = next; at < sizeBytes; at = next) {
          next += PAGE_WRITE;
          const length = Math.min(PAGE_WRITE, padded - at);
          buffer.fill(0);
          await handle.read(buffer, 0, Math.min(length, sizeBytes - at), at);
          await blob.uploadPages(buffer.subarray(0, length), at, length);
        }
      };
      await Promise.all(Array.from({ length: inFlight }, lane));
      return sizeBytes / 1e6 / ((performance.now() - started) / 1000);
    } finally {
      await handle.close();
    }
  });
}

export interface RawUpload {
  /** MB/s (10^6 bytes a second). */
  speed: number;
  /** CPU seconds Azurite and the uploading client spent. */
  cpu: { azurite: number; client: number };
}

/**
 * The same upload into an Azurite of its own, started empty and stopped afterwards. Azurite
 * grows slower as it has held more data (after 2 GiB written and deleted, the same upload
 * costs it about 60% more CPU), so a baseline measured first in a shared Azurite would run
 * on a fresher store than the run it is compared with.
 */
export async function rawPageUploadFresh(file: string, sizeBytes: number, inFlight: number): Promise<RawUpload> {
  const azurite = await startAzurite();
  try {
    const before = { azurite: cpuSeconds(azurite.process.pid), client: process.cpuUsage() };
    const speed = await rawPageUpload(azurite.connectionString, file, sizeBytes, inFlight);
    const client = process.cpuUsage(before.client);
    return {
      speed,
      cpu: { azurite: cpuSeconds(azurite.process.pid) - before.azurite, client: (client.user + client.system) / 1e6 },
    };
  } finally {
    await azurite.stop();
  }
}

/**
 * The storage floor of applying scattered changes in place: `blocks` (4 KiB block numbers) each
 * written straight into a page blob of `sizeBytes` in Azurite, `inFlight` at once, in block
 * order. Returns the seconds it took.
 */
export async function rawScatteredWrites(
  connectionString: string,
  sizeBytes: number,
  blocks: readonly number[],
  inFlight: number,
): Promise<number> {
  return withScratchPageBlob(connectionString, sizeBytes, async (blob) => {
    const data = randomBytes(4096);
    const started = performance.now();
    let next = 0;
    const lane = async () => {
      while (next < blocks.length) {
        const block = blocks[next++] as number;
        await blob.uploadPages(data, block * 4096, 4096);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, lane));
    return (performance.now() - started) / 1000;
  });
}

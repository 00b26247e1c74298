/**
 * The storage ceiling: the same bytes uploaded straight into Azurite with @azure/storage-blob
 * as 4 MiB page writes, one at a time or `inFlight` at once, read from the image file.
 */
import { randomBytes } from "node:crypto";
import { open } from "node:fs/promises";
import { BlobServiceClient, type PageBlobClient } from "@azure/storage-blob";
import { MiB } from "./images";

const PAGE_WRITE = 4 * MiB;

/** Runs `use` on a new page blob of `sizeBytes` (rounded up to a page) in a container of its own, deleted afterwards. */
async function withScratchPageBlob<T>(connectionString: string, sizeBytes: number, use: (blob: PageBlobClient) => Promise<T>): Promise<T> {
  const container = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(`raw-${randomBytes(4).toString("hex")}`);
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
export async function rawPageUpload(connectionString: string, file: string, sizeBytes: number, inFlight: number): Promise<number> {
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

/**
 * The storage floor of applying scattered changes in place: `blocks` (4 KiB block numbers) each
 * written straight into a page blob of `sizeBytes` in Azurite, `inFlight` at once, in block
 * order. Returns the seconds it took.
 */
export async function rawScatteredWrites(connectionString: string, sizeBytes: number, blocks: readonly number[], inFlight: number): Promise<number> {
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

/**
 * The least a process server can do (child process of the relay floor, bench/e2e/relayFloor.ts):
 * take floorSender's records off the request as they arrive and page-write them into one page
 * blob in Azurite with @azure/storage-blob — at most 4 MiB a write, the socket's own chunks as
 * the write's body, up to 4 writes in flight — and answer once every write is done.
 *
 * FLOOR_WORK=design adds the checks Ferry's design cannot drop: a SHA-256 of the body (the
 * signature) and a CRC-32 of every record (the extent checksum).
 * Env: AZURE_STORAGE_CONNECTION_STRING, FLOOR_DISK_BYTES. Prints `listening <port>`.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import { BlobServiceClient, type PageBlobClient } from "@azure/storage-blob";

const PAGE_WRITE = 4 * 1024 * 1024;
const RECORD_HEADER = 12;
const IN_FLIGHT = 4;
const design = process.env.FLOOR_WORK === "design";

/** Page writes of parts, at most IN_FLIGHT at once; the first failure is kept. */
class PageWriter {
  private readonly running = new Set<Promise<void>>();
  private failure: unknown;

  constructor(private readonly blob: PageBlobClient) {}

  async write(offset: number, parts: Buffer[], length: number): Promise<void> {
    const done: Promise<void> = this.blob
      .uploadPages(() => Readable.from(parts), offset, length)
      .then(
        () => undefined,
        (error: unknown) => {
          this.failure ??= error;
        },
      )
      .finally(() => {
        this.running.delete(done);
      });
    this.running.add(done);
    if (this.running.size >= IN_FLIGHT) await Promise.race(this.running);
  }

  async finish(): Promise<void> {
    await Promise.all(this.running);
    if (this.failure) throw this.failure;
  }
}

/**
 * Walks the records of one body, handing their bytes on as page writes of at most 4 MiB:
 * adjacent records share a write, as Ferry's extents do.
 */
async function relay(body: AsyncIterable<Buffer>, writer: PageWriter): Promise<string> {
  const sha = createHash("sha256");
  let header = Buffer.alloc(0);
  let left = 0;
  let writeAt = 0;
  let parts: Buffer[] = [];
  let partBytes = 0;
  const flush = async () => {
    if (partBytes > 0) await writer.write(writeAt, parts, partBytes);
    writeAt += partBytes;
    parts = [];
    partBytes = 0;
  };
  for await (const chunk of body) {
    if (design) sha.update(chunk);
    let rest = chunk;
    while (rest.length > 0) {
      if (left === 0) {
        const need = RECORD_HEADER - header.length;
        header = Buffer.concat([header, rest.subarray(0, need)]);
        rest = rest.subarray(need);
        if (header.length < RECORD_HEADER) break;
        const offset = Number(header.readBigUInt64LE(0));
        if (offset !== writeAt + partBytes) await flush();
        writeAt = offset - partBytes;
        left = header.readUInt32LE(8);
        header = Buffer.alloc(0);
        continue;
      }
      const piece = rest.subarray(0, Math.min(rest.length, left, PAGE_WRITE - partBytes));
      if (design) crc32(piece);
      parts.push(piece);
      partBytes += piece.length;
      left -= piece.length;
      rest = rest.subarray(piece.length);
      if (partBytes === PAGE_WRITE) await flush();
    }
  }
  await flush();
  await writer.finish();
  return design ? sha.digest("hex") : "";
}

async function main(): Promise<void> {
  const connection = process.env.AZURE_STORAGE_CONNECTION_STRING ?? "";
  const container = BlobServiceClient.fromConnectionString(connection).getContainerClient("floor");
  await container.createIfNotExists();
  const blob = container.getPageBlobClient("disk.vhd");
  await blob.create(Math.ceil(Number(process.env.FLOOR_DISK_BYTES) / 512) * 512);
  const server = http.createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
    relay(request, new PageWriter(blob)).then(
      (sha256) => response.end(JSON.stringify({ sha256 })),
      (error: unknown) => response.writeHead(500).end(JSON.stringify({ error: String(error) })),
    );
  });
  server.listen(0, "127.0.0.1", () => console.log(`listening ${(server.address() as AddressInfo).port}`));
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

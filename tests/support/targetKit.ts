// Recovery-point stand-ins for target tests: a replica-shaped page blob (disk bytes, zero
// padding to a whole MiB, the VHD footer) with a snapshot, the way the data path leaves them.
import { createHash, randomBytes } from "node:crypto";
import { BlobServiceClient, type PageBlobClient } from "@azure/storage-blob";
import { replicaBlobBytes, vhdDiskBytes, vhdFooter } from "../../shared/replication/store";
import { createTargetProvider } from "../../shared/target/createTargetProvider";
import type { SnapshotSource, TargetProvider } from "../../shared/target/targetProvider";

const pageWriteBytes = 4 * 1024 * 1024;

export function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The fixed VHD image of a disk of random bytes, as the replica holds it. */
export function vhdImage(diskBytes: number): Buffer {
  const image = Buffer.alloc(replicaBlobBytes(diskBytes));
  randomBytes(diskBytes).copy(image, 0);
  vhdFooter({ sizeBytes: vhdDiskBytes(diskBytes), uniqueId: randomBytes(16), time: new Date() }).copy(
    image,
    image.length - 512,
  );
  return image;
}

export interface ReplicaStandIn {
  blob: PageBlobClient;
  source: SnapshotSource;
  image: Buffer;
}

/** Writes `image` to a new page blob in 4 MiB pages (Azure's limit) and snapshots it. */
export async function replicaWithSnapshot(
  connectionString: string,
  container: string,
  image: Buffer,
): Promise<ReplicaStandIn> {
  const containerClient = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(container);
  await containerClient.createIfNotExists();
  const blobName = `replicas/itm_test/${randomBytes(4).toString("hex")}/disk0.vhd`;
  const blob = containerClient.getPageBlobClient(blobName);
  await blob.create(image.length);
  for (let offset = 0; offset < image.length; offset += pageWriteBytes) {
    const page = image.subarray(offset, Math.min(offset + pageWriteBytes, image.length));
    await blob.uploadPages(page, offset, page.length);
  }
  const snapshot = (await blob.createSnapshot()).snapshot ?? "";
  return { blob, source: { container, blobName, snapshot }, image };
}

export function localTargets(connectionString: string): TargetProvider {
  return createTargetProvider(
    { provider: "local" },
    {
      storage: { kind: "connectionString", connectionString },
      credential: () => {
        throw new Error("The local provider needs no credential.");
      },
      now: () => new Date(),
    },
  );
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

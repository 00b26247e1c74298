// Page writes whose body is several buffers (a received extent's socket chunks) land byte-exact.
import { randomBytes } from "node:crypto";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, describe, expect, inject, it } from "vitest";
import { Containers } from "../../shared/storage/blobContainers";
import { AzureReplicaBlobs } from "../../shared/storage/replicaBlobs";

const service = BlobServiceClient.fromConnectionString(inject("storageConnectionString"));
const container = `pages-${randomBytes(4).toString("hex")}`;
const replicas = new AzureReplicaBlobs(new Containers(service));
const ref = { container, name: "disk.vhd" };
const MiB = 1024 * 1024;

afterAll(async () => {
  await service.getContainerClient(container).deleteIfExists();
});

/** `bytes` cut into parts of `partBytes` each (the last may be shorter). */
function cut(bytes: Buffer, partBytes: number): Buffer[] {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += partBytes) parts.push(bytes.subarray(at, at + partBytes));
  return parts;
}

describe("page writes from parts", () => {
  it("writes large parts (sent as they are) and small parts (joined first) byte-exact, under the lease", async () => {
    await replicas.createIfAbsent(ref, 8 * MiB);
    const lease = await replicas.lease(ref, 15);
    if (!lease) throw new Error("no lease");
    try {
      const large = randomBytes(4 * MiB);
      const small = randomBytes(2 * MiB);
      await replicas.writePages(ref, 0, cut(large, 65_536 + 512), lease.id);
      await replicas.writePages(ref, 4 * MiB, cut(small, 512), lease.id);
      await replicas.writePages(ref, 6 * MiB, [small.subarray(0, MiB)], lease.id);
      expect((await replicas.read(ref, 0, 4 * MiB)).equals(large)).toBe(true);
      expect((await replicas.read(ref, 4 * MiB, 2 * MiB)).equals(small)).toBe(true);
      expect((await replicas.read(ref, 6 * MiB, MiB)).equals(small.subarray(0, MiB))).toBe(true);
      expect((await replicas.read(ref, 7 * MiB, MiB)).equals(Buffer.alloc(MiB))).toBe(true);
    } finally {
      await lease.release();
    }
  });

  it("refuses parts written without the lease, leaving the pages as they were", async () => {
    const lease = await replicas.lease(ref, 15);
    if (!lease) throw new Error("no lease");
    try {
      const before = await replicas.read(ref, 0, MiB);
      await expect(
        replicas.writePages(ref, 0, cut(randomBytes(MiB), 65_536), "00000000-0000-0000-0000-000000000000"),
      ).rejects.toThrow();
      expect((await replicas.read(ref, 0, MiB)).equals(before)).toBe(true);
    } finally {
      await lease.release();
    }
  });
});

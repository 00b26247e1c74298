// How long failover takes to materialize a recovery-point snapshot as a target VHD (a
// same-account server-side copy, shared-key authorized) for 1 GiB and 10 GiB page blobs,
// against uploading 1 GiB of bytes to a page blob in 4 MiB writes in the same run.
// Run alone: `npm run build && node dist/bench/target/materializeBench.js`.
import { randomBytes } from "node:crypto";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { startAzurite } from "../../devhost/azurite/embedded";
import { Containers } from "../../shared/storage/blobContainers";
import { TargetBlobs, targetsContainer } from "../../shared/target/targetBlobs";
import type { Bench, BenchContext } from "../support/bench";
import { report } from "../support/report";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const writeBytes = 4 * MiB;

/** Writes `total` bytes as 4 MiB pages spread evenly over the blob, then a footer-sized last page. */
async function fillPages(container: ContainerClient, name: string, blobBytes: number, total: number): Promise<number> {
  const blob = container.getPageBlobClient(name);
  await blob.create(blobBytes);
  const data = randomBytes(writeBytes);
  const writes = total / writeBytes;
  const stride = Math.floor((blobBytes - 512) / writes / writeBytes) * writeBytes;
  const started = performance.now();
  for (let i = 0; i < writes; i += 1) await blob.uploadPages(data, i * stride, writeBytes);
  await blob.uploadPages(Buffer.alloc(512, 1), blobBytes - 512, 512);
  return (performance.now() - started) / 1000;
}

/** The median of three materializations of one snapshot, each to a new target blob. */
async function materializeSeconds(
  service: BlobServiceClient,
  container: ContainerClient,
  name: string,
): Promise<number> {
  const snapshot = (await container.getPageBlobClient(name).createSnapshot()).snapshot ?? "";
  const containers = new Containers(service);
  await containers.get(targetsContainer); // created once per process in real use: not part of the figure
  const targets = new TargetBlobs(containers);
  const expected = (await container.getPageBlobClient(name).getProperties()).contentLength;
  const times: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const started = performance.now();
    const made = await targets.materialize(
      { container: container.containerName, blobName: name, snapshot },
      `bench/${i}/${name}`,
    );
    times.push((performance.now() - started) / 1000);
    if (made.sizeBytes !== expected) throw new Error(`Target is ${made.sizeBytes} bytes, source ${expected}.`);
  }
  await targets.deletePrefix("bench/");
  return times.sort((a, b) => a - b)[1] ?? Number.NaN;
}

export const materializeBench: Bench = {
  name: "target/materialize",
  async run(context: BenchContext) {
    const service = BlobServiceClient.fromConnectionString(await context.storage());
    const container = service.getContainerClient(`bench-${randomBytes(4).toString("hex")}`);
    await container.create();
    const upload = await fillPages(container, "one.vhd", GiB + 512, GiB);
    const baseline = { name: "uploading 1 GiB", value: upload };
    report({ name: "upload 1 GiB in 4 MiB page writes", value: upload, unit: "s" });
    report({
      name: "materialize 1 GiB snapshot",
      value: await materializeSeconds(service, container, "one.vhd"),
      unit: "s",
      baseline,
    });
    // 10 GiB with 1 GiB of it written across the whole range: a copy's cost follows the page list, not the size.
    await fillPages(container, "ten.vhd", 10 * GiB + 512, GiB);
    report({
      name: "materialize 10 GiB snapshot (1 GiB written)",
      value: await materializeSeconds(service, container, "ten.vhd"),
      unit: "s",
      baseline,
    });
    await container.delete();
  },
};

if (require.main === module) {
  startAzurite()
    .then(async (azurite) => {
      try {
        await materializeBench.run({ storage: async () => azurite.connectionString });
      } finally {
        await azurite.stop();
      }
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}

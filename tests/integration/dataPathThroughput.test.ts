// Measurement, not a check (run with FERRY_BENCH_DATA_PATH=1): a 256 MiB random image ingested
// through the host as change batches, against raw Azurite page uploads of the same bytes.
import { randomBytes } from "node:crypto";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, describe, expect, inject, it } from "vitest";
import { AgentCalls, batchBytes, setUpReplication, SourceImage } from "../support/dataPathSetup";
import { startFerry, type RunningFerry } from "../support/ferryApi";

const MiB = 1024 * 1024;
const size = Number(process.env.FERRY_BENCH_DATA_PATH_MIB ?? 256) * MiB;
const batchSize = 32 * MiB;
let ferry: RunningFerry | undefined;
afterAll(async () => { await ferry?.stop(); });

async function rawPageUpload(image: SourceImage): Promise<number> {
  const container = BlobServiceClient.fromConnectionString(inject("storageConnectionString")).getContainerClient(`bench-${randomBytes(4).toString("hex")}`);
  await container.create();
  const blob = container.getPageBlobClient("raw.vhd");
  await blob.create(size);
  const bytes = image.read();
  const started = performance.now();
  for (let at = 0; at < size; at += 16 * MiB) {
    await Promise.all([0, 1, 2, 3].map((i) => blob.uploadPages(bytes.subarray(at + i * 4 * MiB, at + (i + 1) * 4 * MiB), at + i * 4 * MiB, 4 * MiB)));
  }
  const seconds = (performance.now() - started) / 1000;
  await container.delete();
  return size / 1e6 / seconds;
}

describe.runIf(process.env.FERRY_BENCH_DATA_PATH)("data path throughput", () => {
  it("ingests a 256 MiB random image through the host, compared with raw page uploads", async () => {
    const image = new SourceImage("disk0", size);
    const raw = await rawPageUpload(image);
    ferry = await startFerry(inject("storageConnectionString"));
    const r = await setUpReplication(ferry.api, [{ id: "disk0", sizeBytes: size, isBoot: true }]);
    const agent = new AgentCalls(ferry.api, r.credentials);
    const batches: Buffer[] = [];
    for (let at = 0, seq = 1; at < size; at += batchSize, seq += 1) batches.push(await batchBytes(r.machineId, "disk0", 1, seq, image.extents(at, at + batchSize)));
    const started = performance.now();
    for (const [i, batch] of batches.entries()) {
      const t = performance.now();
      const reply = await agent.putBatch(r.itemId, "disk0", 1, i + 1, batch).catch((e: unknown) => { console.log(ferry?.host.output().slice(-3000)); throw e; });
      expect(reply.status, reply.text).toBe(200);
      if (process.env.FERRY_BENCH_VERBOSE) console.log(`batch ${i + 1}: ${(performance.now() - t).toFixed(0)} ms`);
    }
    const ingest = size / 1e6 / ((performance.now() - started) / 1000);
    const cycleStart = performance.now();
    const cycle = await agent.cycle(r.itemId, { cycleId: "bench", sourceTime: new Date().toISOString(), type: "CrashConsistent", disks: [{ diskId: "disk0", sequence: batches.length }] });
    expect(cycle.status).toBe(200);
    console.log(`raw Azurite page upload (4 MiB x4): ${raw.toFixed(0)} MB/s; host ingest (32 MiB batches, inline apply): ${ingest.toFixed(0)} MB/s (${(ingest / raw).toFixed(2)}x); cycle ${(performance.now() - cycleStart).toFixed(0)} ms`);
  }, 300_000);
});

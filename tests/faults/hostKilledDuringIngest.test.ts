// The host killed (SIGKILL) between two storage calls of a change batch's way in — while its
// blocks are staged, once its staged blob is committed but not yet acknowledged, and once the
// cursor holds its ack but before the agent heard it — then started again on the same storage.
// The real agent retries through its own proxy; every recovery point still verifies against
// the source, and the newest holds every write.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { FaultRig, type StorageCall } from "../support/faultRig";
import { FaultSource } from "../support/faultSource";
import { tablePath } from "../support/storageFaults";

let rig: FaultRig;
const sources: FaultSource[] = [];

beforeAll(async () => {
  rig = await FaultRig.start({ storage: inject("storageConnectionString") });
});
afterEach(async () => {
  for (const source of sources.splice(0)) await source.dispose();
});
afterAll(async () => {
  await rig?.stop();
});

async function seededSource(): Promise<FaultSource> {
  const source = await FaultSource.enroll(rig);
  sources.push(source);
  await source.seeded();
  return source;
}

const staged = (source: FaultSource, comp: "block" | "blocklist"): StorageCall => ({
  service: "blob",
  method: "PUT",
  path: new RegExp(`/cache/${source.enrolled.itemId}/disk0/.*comp=${comp}(&|$)`),
});

const cursorWrite = (source: FaultSource): StorageCall => ({
  service: "table",
  method: "PUT",
  path: new RegExp(`${tablePath("FerryDiskCursors").source}.*PartitionKey='${source.enrolled.itemId}',RowKey='disk0'`),
});

/** Batch PUTs of disk0 the agent sent, by sequence. */
function batchPuts(source: FaultSource): Map<number, number> {
  const counts = new Map<number, number>();
  for (const seen of rig.front.seen) {
    const found = seen.path.match(new RegExp(`/items/${source.enrolled.itemId}/disks/disk0/batches/\\d+/(\\d+)$`));
    if (seen.method === "PUT" && found) counts.set(Number(found[1]), (counts.get(Number(found[1])) ?? 0) + 1);
  }
  return counts;
}

describe("a host killed on a batch's way in", { timeout: 180_000 }, () => {
  it("while the batch's blocks are staged: the agent sends it again, and every point verifies", async () => {
    const source = await seededSource();
    const crashed = rig.crashAt(staged(source, "block"), "before");
    await source.disks.write(16);
    await crashed;
    await source.disks.write(16);
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(2);
  });

  it("after its staged blob is committed, before the cursor acknowledges it: the resend is acknowledged once", async () => {
    const source = await seededSource();
    const crashed = rig.crashAt(cursorWrite(source), "before", staged(source, "blocklist"));
    await source.disks.write(16);
    await crashed;
    await source.disks.write(16);
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(2);
    const acks = source.agent!.output().match(/disk0 batch \d+ acked/g) ?? [];
    expect(new Set(acks).size, "each sequence acknowledged once").toBe(acks.length);
  });

  it("after the cursor holds the ack, before the agent hears it: the resend is answered as before", async () => {
    const source = await seededSource();
    const crashed = rig.crashAt(cursorWrite(source), "after", staged(source, "blocklist"));
    await source.disks.write(16);
    await crashed;
    await source.disks.write(16);
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(2);
    const resent = [...batchPuts(source).entries()].filter(([, puts]) => puts > 1);
    expect(resent.length, "the batch whose answer was lost went out again").toBeGreaterThanOrEqual(1);
  });
});

// The host killed (SIGKILL) between two storage calls of a change batch's way in — while its
// blocks are staged, once its staged blob is committed but not yet acknowledged, and once the
// cursor holds its ack but before the agent heard it — then started again on the same storage.
// The real agent retries through its own proxy; every recovery point still verifies against
// the source, and the newest holds every write.
import { describe, expect, it } from "vitest";
import type { StorageCall } from "../support/faultRig";
import type { FaultSource } from "../support/faultSource";
import { FaultSuite } from "../support/faultSuite";
import { tablePath } from "../support/storageFaults";

const suite = FaultSuite.use();

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
  for (const seen of suite.rig.front.seen) {
    const found = seen.path.match(new RegExp(`/items/${source.enrolled.itemId}/disks/disk0/batches/\\d+/(\\d+)$`));
    if (seen.method === "PUT" && found) counts.set(Number(found[1]), (counts.get(Number(found[1])) ?? 0) + 1);
  }
  return counts;
}

describe("a host killed on a batch's way in", { timeout: 180_000 }, () => {
  it("while the batch's blocks are staged: the agent sends it again, and every point verifies", async () => {
    const source = await suite.seededSource();
    const crashed = suite.rig.crashAt(staged(source, "block"), "before");
    await source.disks.write(16);
    await crashed;
    await source.disks.write(16);
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(2);
  });

  it("after its staged blob is committed, before the cursor acknowledges it: the resend is acknowledged once", async () => {
    const source = await suite.seededSource();
    const crashed = suite.rig.crashAt(cursorWrite(source), "before", staged(source, "blocklist"));
    await source.disks.write(16);
    await crashed;
    await source.disks.write(16);
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(2);
    const acks = source.agent!.output().match(/disk0 batch \d+ acked/g) ?? [];
    expect(new Set(acks).size, "each sequence acknowledged once").toBe(acks.length);
  });

  it("after the cursor holds the ack, before the agent hears it: the resend is answered as before", async () => {
    const source = await suite.seededSource();
    const crashed = suite.rig.crashAt(cursorWrite(source), "after", staged(source, "blocklist"));
    await source.disks.write(16);
    await crashed;
    await source.disks.write(16);
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(2);
    const resent = [...batchPuts(source).entries()].filter(([, puts]) => puts > 1);
    expect(resent.length, "the batch whose answer was lost went out again").toBeGreaterThanOrEqual(1);
  });
});

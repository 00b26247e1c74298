// Storage misbehaving under the host, through a real HTTP hop between the host and Azurite:
// answering 503 ServerBusy for a while, and doing a write whose answer never comes back, so the
// storage SDK sends it again (it "succeeded but timed out") and its ETag-guarded resend finds the
// ETag its own first try moved. Nothing acknowledged is lost, no operation is refused by its own
// write, and every recovery point verifies against the source.
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { FaultSource } from "../support/faultSource";
import { FaultSuite } from "../support/faultSuite";
import { expectVmDisksEqual, SourceMachine } from "../support/lifecycleKit";
import { expectDrivenPoints } from "../support/pointChecks";
import { tablePath } from "../support/storageFaults";

const suite = FaultSuite.use();

const busyBlob = {
  kind: "answer" as const,
  status: 503,
  headers: { "content-type": "application/xml", "x-ms-error-code": "ServerBusy" },
  body: '<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>Busy.</Message></Error>',
};
const busyTable = {
  kind: "answer" as const,
  status: 503,
  headers: { "x-ms-error-code": "ServerBusy" },
  body: JSON.stringify({ "odata.error": { code: "ServerBusy", message: { lang: "en-US", value: "Busy." } } }),
};

const cursorOf = (source: FaultSource, diskId = "disk0") =>
  new RegExp(`${tablePath("FerryDiskCursors").source}.*PartitionKey='${source.enrolled.itemId}',RowKey='${diskId}'`);

describe("storage answering 503 ServerBusy", { timeout: 180_000 }, () => {
  it("for six seconds to every write of the item's data and cursors: acknowledged only once durable, nothing lost", async () => {
    const source = await suite.seededSource();
    const item = source.enrolled.itemId;
    const blobs = suite.rig.storage.add("blob", {
      method: /PUT|DELETE/,
      path: new RegExp(`/(cache|replicas)/${item}/`),
      times: Infinity,
      action: busyBlob,
    });
    const cursors = suite.rig.storage.add("table", {
      method: /PUT|MERGE|POST/,
      path: new RegExp(`FerryDiskCursors.*PartitionKey='${item}'`),
      times: Infinity,
      action: busyTable,
    });
    source.disks.startChurn(300, 4);
    await sleep(6000);
    blobs.remove();
    cursors.remove();
    expect(blobs.matches + cursors.matches, "storage refused writes").toBeGreaterThan(0);
    await sleep(2000);
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(2);
  });
});

describe("storage doing a write whose answer is lost", { timeout: 180_000 }, () => {
  it("keeps a batch whose cursor ack was written but not answered: the SDK's resend finds its own ack", async () => {
    const source = await suite.seededSource();
    const lost = suite.rig.storage.add("table", {
      method: "PUT",
      path: cursorOf(source),
      action: { kind: "loseResponse" },
    });
    await source.disks.write(16);
    await lost.fired;
    await source.disks.write(16);
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(2);
  });

  it("keeps a batch whose staged blob commit was done but not answered", async () => {
    const source = await suite.seededSource();
    const lost = suite.rig.storage.add("blob", {
      method: "PUT",
      path: new RegExp(`/cache/${source.enrolled.itemId}/disk0/.*comp=blocklist`),
      action: { kind: "loseResponse" },
    });
    await source.disks.write(16);
    await lost.fired;
    await source.disks.write(16);
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(2);
  });

  it("keeps a point whose row and snapshot were written but not answered: the cycle is answered with it once", async () => {
    const source = await suite.seededSource();
    const snapshot = suite.rig.storage.add("blob", {
      method: "PUT",
      path: new RegExp(`/replicas/${source.enrolled.itemId}/disk0.vhd\\?.*comp=snapshot`),
      action: { kind: "loseResponse" },
    });
    const row = suite.rig.storage.add("table", {
      method: "POST",
      path: tablePath("FerryRecoveryPoints"),
      action: { kind: "loseResponse" },
    });
    await source.disks.write(16);
    await Promise.all([snapshot.fired, row.fired]);
    await source.disks.write(16);
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(2);
  });

  it("runs a test migration whose claim on the item was written but not answered, and frees the item after", async () => {
    const source = await SourceMachine.seeded(suite.rig.api);
    const [first] = await source.pointIds();
    const points = new Map([[first!, source.digests()]]);
    const { projectId, itemId } = source.r;
    const lost = suite.rig.storage.add("table", {
      method: "PUT",
      path: new RegExp(`FerryItems\\(PartitionKey='${projectId}',RowKey='${itemId}'\\)`),
      action: { kind: "loseResponse" },
    });
    const job = await source.start("test-migrate", { network: "vnet-drill" });
    expect(lost.matches, "the claim's answer was lost").toBeGreaterThanOrEqual(1);
    const done = await source.settled(job.id, 60_000);
    expect(done.state, JSON.stringify(done)).toBe("Succeeded");
    const vms = await source.vms();
    expect(vms).toHaveLength(1);
    await expectVmDisksEqual(source, vms[0]!, points.get(first!)!);
    const item = await source.item();
    expect(item.currentJobId).toBeUndefined();
    expect(item.testMigrateState).toBe("TestMigrationSucceeded");
    await expectDrivenPoints(source, points);
  });
});

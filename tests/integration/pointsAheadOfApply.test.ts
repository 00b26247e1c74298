// Recovery points cut before their batches reach the replica (docs/data-path.md §7, "Points
// ahead of apply"): the cycle answers without waiting for apply, and whatever reads a point —
// a verification, a test migration — gets exactly the bytes the source held at that point.
// The host applies nothing on its own here (FERRY_APPLY_MODE=deferred, and the maintenance timer
// disabled), so every point is cut ahead of apply and only a reader brings the replica forward.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { marksOf, type PointDisk } from "../../shared/replication/store";
import { createStores, type Stores } from "../../shared/storage/stores";
import { verifyPoint } from "../support/dataPathSetup";
import { startFerry, type RunningFerry } from "../support/ferryApi";
import { expectVmDisksEqual, SourceMachine, type DiskDigests } from "../support/lifecycleKit";

let ferry: RunningFerry;
let source: SourceMachine;
let stores: Stores;

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"), {
    env: { FERRY_APPLY_MODE: "deferred", "AzureWebJobs.dataPathMaintenance.Disabled": "true" },
  });
  source = await SourceMachine.seeded(ferry.api);
  stores = createStores({ kind: "connectionString", connectionString: inject("storageConnectionString") });
});
afterAll(async () => {
  await ferry?.stop();
});

/** Rewrites the same block of every disk and sends it: a point read past its own batch would show a later version. */
async function rewriteAndCut(): Promise<{ id: string; digests: DiskDigests }> {
  for (const image of source.images) {
    image.write(8192, randomBytes(4096));
    expect((await source.sendRange(image, 8192, 12288)).status).toBe(200);
  }
  return source.cycle("CrashConsistent", {}, false);
}

async function expectVerifies(point: { id: string; digests: DiskDigests }): Promise<void> {
  const result = await verifyPoint(source.api, source.r.projectId, source.r.itemId, point.id);
  expect(Object.fromEntries(result.disks.map((d) => [d.diskId, d.sha256]))).toEqual(point.digests);
}

async function snapshotsOf(pointId: string): Promise<(string | undefined)[]> {
  const row = await stores.recoveryPoints.get(source.r.itemId, pointId);
  return (JSON.parse(row!.value.disks) as PointDisk[]).map((d) => d.snapshot);
}

describe("recovery points cut ahead of apply", () => {
  it("are recorded before their batches are applied, and each verifies at its own bytes", async () => {
    const processedBefore = (await source.item()).lastProcessedPointTime;
    const cuts = [await rewriteAndCut(), await rewriteAndCut(), await rewriteAndCut()];
    expect((await source.item()).lastProcessedPointTime).toBe(processedBefore);
    for (const image of source.images) {
      const cursor = (await stores.diskCursors.get(source.r.itemId, image.diskId))!.value;
      expect(cursor.appliedSequence, image.diskId).toBeLessThan(cursor.nextSequence - 3);
      expect(marksOf(cursor).map((m) => m.point)).toEqual(expect.arrayContaining(cuts.map((c) => c.id)));
    }
    for (const cut of cuts) expect(await snapshotsOf(cut.id)).toEqual([undefined, undefined]);

    // The newest first: apply passes the older points on its way and must stop to take each one.
    await expectVerifies(cuts[2]!);
    for (const cut of cuts) expect((await snapshotsOf(cut.id)).every((s) => typeof s === "string")).toBe(true);
    await expectVerifies(cuts[0]!);
    await expectVerifies(cuts[1]!);
    for (const image of source.images) {
      const cursor = (await stores.diskCursors.get(source.r.itemId, image.diskId))!.value;
      expect([cursor.appliedSequence, marksOf(cursor)]).toEqual([cursor.nextSequence - 1, []]);
    }
    const item = await source.item();
    expect(item.lastProcessedPointTime).toBe(item.lastRecoveryPointTime);
  });

  it("apply batches between two points in one pass, rewriting windows many small writes touch", async () => {
    const before = await rewriteAndCut();
    // Two batches of 4 KiB blocks scattered over the first 4 MiB, the second rewriting some of the first's.
    const disk = source.images[0]!;
    for (const round of [0, 1]) {
      const offsets = Array.from({ length: 40 }, (_, i) => (i * 12 + round * 24) * 4096);
      for (const offset of offsets) disk.write(offset, randomBytes(4096));
      expect(
        (
          await source.sendExtents(
            disk,
            offsets.flatMap((offset) => disk.extents(offset, offset + 4096)),
          )
        ).status,
      ).toBe(200);
    }
    const after = await source.cycle("CrashConsistent", {}, false);
    await expectVerifies(after);
    await expectVerifies(before);
  });

  it("give a test migration the disks the source held at the point", async () => {
    const chosen = await rewriteAndCut();
    await rewriteAndCut();
    await source.run("test-migrate", { network: "vnet-drill", recoveryPoint: chosen.id });
    const [vm] = await source.vms();
    await expectVmDisksEqual(source, vm!, chosen.digests);
    await source.run("test-migrate-cleanup");
  });
});

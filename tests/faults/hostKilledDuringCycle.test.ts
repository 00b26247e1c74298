// The host killed (SIGKILL) between two storage calls of a cycle's end — once a point's snapshot
// is taken but before its row records it, and once the row is written but before the item
// records its newest point — then started again on the same storage. The real agent resends
// the cycle; the point is made once, the item shows it, and every point verifies.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { eventually } from "../support/eventually";
import { FaultRig } from "../support/faultRig";
import { FaultSource } from "../support/faultSource";
import { listPoints } from "../support/pointChecks";
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

describe("a host killed at a cycle's end", { timeout: 180_000 }, () => {
  it("after a point's snapshot, before its row: the resent cycle makes the point, and every point verifies", async () => {
    const source = await seededSource();
    const crashed = rig.crashAt(
      {
        service: "blob",
        method: "PUT",
        path: new RegExp(`/replicas/${source.enrolled.itemId}/disk0\\.vhd\\?.*comp=snapshot`),
      },
      "after",
    );
    await source.disks.write(16);
    await crashed;
    await source.disks.write(16);
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(3);
  });

  it("after the point's row, before the item records it: the resent cycle has the item show it, and every point verifies", async () => {
    const source = await seededSource();
    const crashed = rig.crashAt({ service: "table", method: "POST", path: tablePath("FerryRecoveryPoints") }, "after");
    await source.disks.write(16);
    const cut = await crashed;
    await eventually(
      () => rig.front.seen.some((seen) => /\/cycles$/.test(seen.path) && seen.at > cut.at && seen.status === 200),
      Boolean,
      { what: "the resent cycle to be answered" },
    );
    // Once the resent cycle is answered, the item records the point whose row the dead host wrote, or a newer one.
    const recorded = (await listPoints(rig.api, source.itemPath)).filter((p) => Date.parse(p.time) <= cut.at).at(-1);
    const shown = (await source.item()).lastRecoveryPointTime ?? "";
    expect(Date.parse(shown)).toBeGreaterThanOrEqual(Date.parse(recorded?.time ?? ""));
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(2);
  });
});

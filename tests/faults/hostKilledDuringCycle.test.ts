// The host killed (SIGKILL) between two storage calls of a cycle's end — once a point's snapshot
// is taken but before its row records it, and once the row is written but before the item
// records its newest point — then started again on the same storage. The real agent resends
// the cycle; the point is made once, the item shows it, and every point verifies.
import { describe, expect, it } from "vitest";
import { eventually } from "../support/eventually";
import { FaultSuite } from "../support/faultSuite";
import { listPoints } from "../support/pointChecks";
import { tablePath } from "../support/storageFaults";

const suite = FaultSuite.use();

describe("a host killed at a cycle's end", { timeout: 180_000 }, () => {
  it("after a point's snapshot, before its row: the resent cycle makes the point, and every point verifies", async () => {
    const source = await suite.seededSource();
    const crashed = suite.rig.crashAt(
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
    const source = await suite.seededSource();
    const crashed = suite.rig.crashAt(
      { service: "table", method: "POST", path: tablePath("FerryRecoveryPoints") },
      "after",
    );
    await source.disks.write(16);
    const cut = await crashed;
    await eventually(
      () => suite.rig.front.seen.some((seen) => /\/cycles$/.test(seen.path) && seen.at > cut.at && seen.status === 200),
      Boolean,
      { what: "the resent cycle to be answered" },
    );
    // Once the resent cycle is answered, the item records the point whose row the dead host wrote, or a newer one.
    const recorded = (await listPoints(suite.rig.api, source.itemPath))
      .filter((p) => Date.parse(p.time) <= cut.at)
      .at(-1);
    const shown = (await source.item()).lastRecoveryPointTime ?? "";
    expect(Date.parse(shown)).toBeGreaterThanOrEqual(Date.parse(recorded?.time ?? ""));
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(2);
  });
});

// Failovers started at the same moment: a test migration and a migration of one item (exactly
// one runs, the other is told which job holds the item), and test migrations of several items
// at once (each gets its own VM). Every VM's disks equal the point it was made from, and every
// point still verifies against the source.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";
import { expectVmDisksEqual, SourceMachine, type DiskDigests, type LifecycleJob } from "../support/lifecycleKit";
import { expectDrivenPoints } from "../support/pointChecks";

let ferry: RunningFerry;

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"), { env: { FERRY_FINAL_SYNC_TIMEOUT_SECONDS: "120" } });
});
afterAll(async () => {
  await ferry?.stop();
});

/** A seeded source with one more change and its point: what each of its points holds. */
async function withPoint(): Promise<{ source: SourceMachine; point: string; points: Map<string, DiskDigests> }> {
  const source = await SourceMachine.seeded(ferry.api);
  const [first] = await source.pointIds();
  const points = new Map([[first!, source.digests()]]);
  await source.changeAccepted();
  const point = await source.cycle();
  points.set(point.id, point.digests);
  return { source, point: point.id, points };
}

describe("failovers started at the same moment", { timeout: 180_000 }, () => {
  it("runs one of a test migration and a migration of one item; the other names the running job", async () => {
    const { source, point, points } = await withPoint();
    type Reply = { job: LifecycleJob } & ApiError;
    const [drill, move] = await Promise.all([
      source.operation<Reply>("test-migrate", { network: "vnet-drill", recoveryPoint: point }),
      source.operation<Reply>("migrate", { shutdownSource: false, recoveryPoint: point }),
    ]);
    const won = [drill, move].filter((r) => r.status === 202);
    const lost = [drill, move].filter((r) => r.status !== 202);
    expect(won, [drill.text, move.text].join("\n")).toHaveLength(1);
    expect(lost[0]?.status).toBe(409);
    expect(lost[0]?.body.error).toMatchObject({ code: "OperationInProgress", jobId: won[0]?.body.job.id });
    const done = await source.settled(won[0]!.body.job.id, 60_000);
    expect(done.state, JSON.stringify(done)).toBe("Succeeded");
    const vms = await source.vms();
    expect(vms).toHaveLength(1);
    await expectVmDisksEqual(source, vms[0]!, points.get(point)!);
    await expectDrivenPoints(source, points);
  });

  it("test-migrates three items at once, each into its own VM made from its own point", async () => {
    const items = await Promise.all([withPoint(), withPoint(), withPoint()]);
    const jobs = await Promise.all(
      items.map(({ source, point }) => source.start("test-migrate", { network: "vnet-drill", recoveryPoint: point })),
    );
    for (const [i, { source, point, points }] of items.entries()) {
      const done = await source.settled(jobs[i]!.id, 90_000);
      expect(done.state, JSON.stringify(done)).toBe("Succeeded");
      const vms = await source.vms();
      expect(vms).toHaveLength(1);
      expect(vms[0]!.recoveryPointId).toBe(point);
      await expectVmDisksEqual(source, vms[0]!, points.get(point)!);
      await expectDrivenPoints(source, points);
    }
  });
});

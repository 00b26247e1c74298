// A planned migration whose agent never answers FinalSync: after FERRY_FINAL_SYNC_TIMEOUT_SECONDS
// the job fails over from the latest point and says so.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { taskNames } from "../../shared/domain/jobTasks";
import { startFerry, type RunningFerry } from "../support/ferryApi";
import { expectVmDisksEqual, SourceMachine, taskStates } from "../support/lifecycleKit";

let ferry: RunningFerry;

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"), { env: { FERRY_FINAL_SYNC_TIMEOUT_SECONDS: "3" } });
});
afterAll(async () => {
  await ferry?.stop();
});

describe("migration when the source never confirms its shutdown", () => {
  it("fails over from the latest point after the time-out, with a warning in the job", async () => {
    const source = await SourceMachine.seeded(ferry.api);
    await source.changeAccepted();
    const latest = await source.cycle();
    const started = Date.now();
    const job = await source.start("migrate", { shutdownSource: true });
    await source.waitForAction("FinalSync");
    const done = await source.settled(job.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    expect(done.state, JSON.stringify(done)).toBe("Succeeded");
    expect(taskStates(done)).toEqual(taskNames.migrate.map((name) => [name, "Succeeded"]));
    expect(done.warnings).toEqual([expect.stringMatching(/fails over from the latest recovery point/)]);
    const [vm] = await source.vms();
    expect(vm!.recoveryPointId).toBe(latest.id);
    await expectVmDisksEqual(source, vm!, latest.digests);
    expect(await source.item()).toMatchObject({ migrationState: "MigrationSucceeded" });
    // The agent's final cycle, too late now, is refused and it is told to stop.
    expect(
      (await source.agent.cycle(source.r.itemId, source.cycleBody("CrashConsistent", { final: true }))).status,
    ).toBe(409);
    expect((await source.instructions()).action).toBe("Stop");
  });
});

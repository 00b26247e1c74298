// The host killed (SIGKILL) in the middle of a failover, then started again on the same
// storage and task hub: the job finishes and the item is consistent. Azurite stays up.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { taskNames } from "../../shared/domain/jobTasks";
import { startFerry, type RunningFerry } from "../support/ferryApi";
import { uniqueHubName } from "../support/hostProcess";
import { expectVmDisksEqual, SourceMachine } from "../support/lifecycleKit";

const storage = () => inject("storageConnectionString");
const hubName = uniqueHubName("Lifecycle");
const operatorKey = randomBytes(24).toString("base64url");
const env = { FERRY_FINAL_SYNC_TIMEOUT_SECONDS: "120" };
let ferry: RunningFerry;

beforeAll(async () => {
  ferry = await startFerry(storage(), { hubName, operatorKey, env });
});
afterAll(async () => {
  await ferry?.stop();
});

/** SIGKILL, then the same app on the same storage and hub; the sources talk to the new host. */
async function crashAndRestart(...sources: SourceMachine[]): Promise<void> {
  await ferry.host.kill("SIGKILL");
  ferry = await startFerry(storage(), { hubName, operatorKey, env });
  for (const source of sources) source.useApi(ferry.api);
}

async function expectMigrated(source: SourceMachine, jobId: string, digests: Record<string, string>): Promise<void> {
  const done = await source.settled(jobId, 60_000);
  expect(done.state, JSON.stringify(done)).toBe("Succeeded");
  const vms = await source.vms();
  expect(vms).toHaveLength(1);
  await expectVmDisksEqual(source, vms[0]!, digests);
  const item = await source.item();
  expect(item).toMatchObject({ migrationState: "MigrationSucceeded", allowedOperations: ["DisableMigration"] });
  expect(item.currentJobId).toBeUndefined();
}

describe("a host crash during a failover", () => {
  it("finishes a migration that was waiting for FinalSync when the host died", async () => {
    const source = await SourceMachine.seeded(ferry.api);
    const job = await source.start("migrate", {});
    await source.waitForAction("FinalSync");
    await crashAndRestart(source);
    expect((await source.instructions()).action).toBe("FinalSync");
    await source.changeAccepted();
    const digests = source.digests();
    await source.cycle("CrashConsistent", { final: true });
    await expectMigrated(source, job.id, digests);
  }, 90_000);

  it("finishes a migration killed while it was creating the VM, making the VM once", async () => {
    const source = await SourceMachine.seeded(ferry.api);
    const job = await source.start("migrate", {});
    await source.waitForAction("FinalSync");
    await source.changeAccepted();
    const digests = source.digests();
    await source.cycle("CrashConsistent", { final: true });
    const atKill = await source.taskPast(job.id, taskNames.migrate[3], "NotStarted");
    expect(atKill.state).toBe("InProgress");
    await crashAndRestart(source);
    await expectMigrated(source, job.id, digests);
  }, 90_000);

  it("finishes a test migration killed as it started, and cleans it up afterwards", async () => {
    const source = await SourceMachine.seeded(ferry.api);
    await source.changeAccepted();
    const point = await source.cycle();
    const job = await source.start("test-migrate", { network: "vnet-drill" });
    await crashAndRestart(source);
    const done = await source.settled(job.id, 60_000);
    expect(done.state, JSON.stringify(done)).toBe("Succeeded");
    const vms = await source.vms();
    expect(vms).toHaveLength(1);
    await expectVmDisksEqual(source, vms[0]!, point.digests);
    await source.run("test-migrate-cleanup");
    expect(await source.vms()).toEqual([]);
    expect(await source.item()).toMatchObject({ migrationState: "Replicating", testMigrateState: "None" });
  }, 90_000);
});

// The host killed (SIGKILL) in the middle of a failover — waiting for FinalSync, while it makes
// the VM, as a test migration starts, and at precise storage calls: once a VM's disk is copied
// but before its record, and once the record is written but before the item is migrated —
// then started again on the same storage and task hub. Each job finishes, the VM is made once,
// its disks equal the recovery point, and every point verifies. Azurite stays up.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { taskNames } from "../../shared/domain/jobTasks";
import { FaultRig, type StorageCall } from "../support/faultRig";
import { expectVmDisksEqual, SourceMachine, type DiskDigests } from "../support/lifecycleKit";
import { expectDrivenPoints } from "../support/pointChecks";
import { tablePath } from "../support/storageFaults";

let rig: FaultRig;

beforeAll(async () => {
  rig = await FaultRig.start({
    storage: inject("storageConnectionString"),
    env: { FERRY_FINAL_SYNC_TIMEOUT_SECONDS: "120" },
  });
});
afterAll(async () => {
  await rig?.stop();
});

/** A seeded source and what its first point holds. */
async function seeded(): Promise<{ source: SourceMachine; points: Map<string, DiskDigests> }> {
  const source = await SourceMachine.seeded(rig.api);
  const [first] = await source.pointIds();
  return { source, points: new Map([[first!, source.digests()]]) };
}

async function expectMigrated(source: SourceMachine, jobId: string, digests: DiskDigests): Promise<void> {
  const done = await source.settled(jobId, 60_000);
  expect(done.state, JSON.stringify(done)).toBe("Succeeded");
  const vms = await source.vms();
  expect(vms).toHaveLength(1);
  await expectVmDisksEqual(source, vms[0]!, digests);
  const item = await source.item();
  expect(item).toMatchObject({ migrationState: "MigrationSucceeded", allowedOperations: ["DisableMigration"] });
  expect(item.currentJobId).toBeUndefined();
}

const targetDiskCopy = (source: SourceMachine): StorageCall => ({
  service: "blob",
  method: "PUT",
  path: new RegExp(`/ferry-targets/${source.r.projectId}/`),
});

describe("a host crash during a failover", { timeout: 180_000 }, () => {
  it("finishes a migration that was waiting for FinalSync when the host died", async () => {
    const { source, points } = await seeded();
    const job = await source.start("migrate", {});
    await source.waitForAction("FinalSync");
    await rig.crashHost();
    expect((await source.instructions()).action).toBe("FinalSync");
    await source.changeAccepted();
    const digests = source.digests();
    const final = await source.cycle("CrashConsistent", { final: true });
    points.set(final.id, final.digests);
    await expectMigrated(source, job.id, digests);
    await expectDrivenPoints(source, points);
  });

  it("finishes a migration killed while it was creating the VM, making the VM once", async () => {
    const { source, points } = await seeded();
    const job = await source.start("migrate", {});
    await source.waitForAction("FinalSync");
    await source.changeAccepted();
    const digests = source.digests();
    const final = await source.cycle("CrashConsistent", { final: true });
    points.set(final.id, final.digests);
    const atKill = await source.taskPast(job.id, taskNames.migrate[3], "NotStarted");
    expect(atKill.state).toBe("InProgress");
    await rig.crashHost();
    await expectMigrated(source, job.id, digests);
    await expectDrivenPoints(source, points);
  });

  it("finishes a test migration killed as it started, and cleans it up afterwards", async () => {
    const { source, points } = await seeded();
    await source.changeAccepted();
    const point = await source.cycle();
    points.set(point.id, point.digests);
    const job = await source.start("test-migrate", { network: "vnet-drill" });
    await rig.crashHost();
    const done = await source.settled(job.id, 60_000);
    expect(done.state, JSON.stringify(done)).toBe("Succeeded");
    const vms = await source.vms();
    expect(vms).toHaveLength(1);
    await expectVmDisksEqual(source, vms[0]!, point.digests);
    await source.run("test-migrate-cleanup");
    expect(await source.vms()).toEqual([]);
    expect(await source.item()).toMatchObject({ migrationState: "Replicating", testMigrateState: "None" });
    await expectDrivenPoints(source, points);
  });

  it("finishes a test migration killed once a VM disk was copied, before the VM's record: one VM, disks as the point", async () => {
    const { source, points } = await seeded();
    await source.changeAccepted();
    const point = await source.cycle();
    points.set(point.id, point.digests);
    const crashed = rig.crashAt(targetDiskCopy(source), "after");
    const job = await source.start("test-migrate", { network: "vnet-drill", recoveryPoint: point.id });
    await crashed;
    const done = await source.settled(job.id, 60_000);
    expect(done.state, JSON.stringify(done)).toBe("Succeeded");
    const vms = await source.vms();
    expect(vms).toHaveLength(1);
    await expectVmDisksEqual(source, vms[0]!, point.digests);
    await expectDrivenPoints(source, points);
  });

  it("finishes a migration killed once the VM's record was written, before the item was migrated", async () => {
    const { source, points } = await seeded();
    const job = await source.start("migrate", {});
    await source.waitForAction("FinalSync");
    await source.changeAccepted();
    const digests = source.digests();
    const crashed = rig.crashAt({ service: "table", method: "POST", path: tablePath("FerryVirtualMachines") }, "after");
    const final = await source.cycle("CrashConsistent", { final: true });
    points.set(final.id, final.digests);
    await crashed;
    await expectMigrated(source, job.id, digests);
    await expectDrivenPoints(source, points);
  });
});

// Test migration (a DR drill) and its cleanup over real HTTP: the test acts as the agent, the
// test VM's disks are compared byte for byte with the source images at the chosen point.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { taskNames } from "../../shared/domain/jobTasks";
import { startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";
import {
  downloadDisk,
  expectOneWinner,
  expectVmDisksEqual,
  SourceMachine,
  taskStates,
  type DiskDigests,
} from "../support/lifecycleKit";

let ferry: RunningFerry;
let source: SourceMachine;
let seedPoint: { id: string; digests: DiskDigests };

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"));
  source = await SourceMachine.seeded(ferry.api);
  seedPoint = { id: (await source.pointIds())[0]!, digests: source.digests() };
  await source.changeAccepted();
});
afterAll(async () => {
  await ferry?.stop();
});

/** Runs a test migration from `choice` and checks the drill end to end; returns the test VM's id. */
async function drill(choice: string, expected: { pointId?: string; digests: DiskDigests }): Promise<string> {
  const job = await source.run("test-migrate", { network: "vnet-drill", subnet: "drill", recoveryPoint: choice });
  expect(taskStates(job)).toEqual(taskNames.testMigrate.map((name) => [name, "Succeeded"]));
  const [vm] = await source.vms();
  const { target } = await source.item();
  expect(vm).toMatchObject({
    name: `${target.vmName}-Test`,
    kind: "TestMigration",
    network: "vnet-drill",
    subnet: "drill",
  });
  if (expected.pointId) expect(vm!.recoveryPointId).toBe(expected.pointId);
  await expectVmDisksEqual(source, vm!, expected.digests);
  expect(await source.item()).toMatchObject({
    migrationState: "Replicating",
    testMigrateState: "TestMigrationSucceeded",
  });
  // The source keeps replicating while the test VM exists.
  await source.changeAccepted();
  await source.cycle();
  await expectVmDisksEqual(source, vm!, expected.digests); // later replication leaves the test VM's disks alone
  for (const [segment, body] of [
    ["test-migrate", { network: "vnet-drill" }],
    ["migrate", {}],
    ["complete", undefined],
  ] as const) {
    const refused = await source.operation<ApiError>(segment, body);
    expect(refused.status, segment).toBe(409);
    expect(refused.body.error.code).toBe("OperationNotAllowed");
  }
  return vm!.id;
}

async function cleanUp(vmId: string): Promise<void> {
  const points = await source.pointIds();
  await source.run("test-migrate-cleanup");
  expect((await ferry.api.get(`/projects/${source.r.projectId}/virtual-machines/${vmId}`)).status).toBe(404);
  expect((await downloadDisk(ferry.api, source.r.projectId, vmId, "disk0")).status).toBe(404);
  expect(await source.pointIds()).toEqual(points);
  const item = await source.item();
  expect(item).toMatchObject({ testMigrateState: "None" });
  expect(item.allowedOperations).toContain("TestMigrate");
}

describe("test migration from each recovery-point choice", () => {
  it("builds the -Test VM from a point chosen by id, byte for byte as the source was then", async () => {
    await cleanUp(await drill(seedPoint.id, { pointId: seedPoint.id, digests: seedPoint.digests }));
  });

  it("uses the newest app-consistent point for LatestApplicationConsistent, even with newer crash-consistent ones", async () => {
    const app = await source.cycle("ApplicationConsistent");
    await source.changeAccepted();
    await source.cycle("CrashConsistent");
    await cleanUp(await drill("LatestApplicationConsistent", { pointId: app.id, digests: app.digests }));
  });

  it("uses the newest crash-consistent point for LatestCrashConsistent, passing over newer inconsistent ones", async () => {
    await source.changeAccepted();
    const crash = await source.cycle("CrashConsistent");
    await source.changeAccepted();
    await source.cycle("Inconsistent");
    await cleanUp(await drill("LatestCrashConsistent", { pointId: crash.id, digests: crash.digests }));
  });

  it("uses the newest point of any kind for LatestProcessed, not changes sent after it", async () => {
    await source.changeAccepted();
    const newest = await source.cycle("CrashConsistent");
    await source.changeAccepted();
    await cleanUp(await drill("LatestProcessed", { pointId: newest.id, digests: newest.digests }));
  });

  it("captures every acknowledged change in a new point for Latest", async () => {
    await source.changeAccepted();
    const before = await source.pointIds();
    const vmId = await drill("Latest", { digests: source.digests() });
    const captured = (
      await ferry.api.get<{ recoveryPointId: string }>(`/projects/${source.r.projectId}/virtual-machines/${vmId}`)
    ).body.recoveryPointId;
    expect(before).not.toContain(captured);
    expect(await source.pointIds()).toContain(captured);
    await cleanUp(vmId);
  });
});

describe("test migration cleanup", () => {
  it("refuses a second cleanup once the first has run, as the state machine says", async () => {
    await source.run("test-migrate", { network: "vnet-drill" });
    await source.run("test-migrate-cleanup");
    const second = await source.operation<ApiError>("test-migrate-cleanup");
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("OperationNotAllowed");
    expect(await source.vms()).toEqual([]);
  });

  it("starts one cleanup when two arrive together; the other names the running job", async () => {
    await source.run("test-migrate", { network: "vnet-drill" });
    const job = await expectOneWinner(source, "test-migrate-cleanup");
    expect((await source.settled(job.id)).state).toBe("Succeeded");
    expect(await source.vms()).toEqual([]);
  });
});

describe("starting and cancelling a test migration", () => {
  it("answers 202 at once and starts one test migration when two requests race", async () => {
    const started = Date.now();
    const job = await expectOneWinner(source, "test-migrate", { network: "vnet-drill" });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(["NotStarted", "InProgress"]).toContain(job.state);
    expect((await source.settled(job.id)).state).toBe("Succeeded");
    await source.run("test-migrate-cleanup");
  });

  it("cancels a running test migration: the VM goes, the item replicates on and may drill again", async () => {
    const job = await source.start("test-migrate", { network: "vnet-drill", recoveryPoint: "Latest" });
    const cancel = await ferry.api.post(`/projects/${source.r.projectId}/jobs/${job.id}/cancel`);
    expect(cancel.status, cancel.text).toBe(202);
    const done = await source.settled(job.id);
    expect(done.state).toBe("Cancelled");
    expect(await source.vms()).toEqual([]);
    const item = await source.item();
    expect(item).toMatchObject({ migrationState: "Replicating", testMigrateState: "None" });
    expect(item.currentJobId).toBeUndefined();
    expect(item.allowedOperations).toContain("TestMigrate");
    await source.changeAccepted();
    await source.cycle();
  });

  it("cancels a test migration after its VM was made: the VM and its disks are removed", async () => {
    const createVm = taskNames.testMigrate[1];
    let job = await source.start("test-migrate", { network: "vnet-drill" });
    for (let attempt = 1; !(await source.cancelOnceStarted(job.id, createVm)).cancelled; attempt++) {
      expect(attempt, "the cancel never landed before the job ended").toBeLessThan(5);
      await source.run("test-migrate-cleanup");
      job = await source.start("test-migrate", { network: "vnet-drill" });
    }
    const done = await source.job(job.id);
    expect(done.tasks.find((t) => t.name === createVm)?.state).toBe("Succeeded");
    const vmId = `vm_${job.id.slice("job_".length)}`;
    expect((await ferry.api.get(`/projects/${source.r.projectId}/virtual-machines/${vmId}`)).status).toBe(404);
    expect((await downloadDisk(ferry.api, source.r.projectId, vmId, "disk0")).status).toBe(404);
    expect(await source.item()).toMatchObject({ migrationState: "Replicating", testMigrateState: "None" });
    await source.changeAccepted();
    const again = await ferry.api.post<ApiError>(`/projects/${source.r.projectId}/jobs/${job.id}/cancel`);
    expect(again.status).toBe(409);
  });
});

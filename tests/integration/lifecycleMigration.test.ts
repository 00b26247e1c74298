// Planned migration over real HTTP: the test is the agent that shuts down and sends its final
// changes; the migrated VM's disks are compared byte for byte with the source images.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { taskNames } from "../../shared/domain/jobTasks";
import { createStores } from "../../shared/storage/stores";
import { startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";
import { expectVmDisksEqual, SourceMachine, taskStates } from "../support/lifecycleKit";

let ferry: RunningFerry;

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"), { env: { FERRY_FINAL_SYNC_TIMEOUT_SECONDS: "120" } });
});
afterAll(async () => {
  await ferry?.stop();
});

const [, shutdownTask, syncTask, failoverTask] = taskNames.migrate;

describe("migration with the source shut down", () => {
  let source: SourceMachine;
  let finalDigests: Record<string, string>;

  beforeAll(async () => {
    source = await SourceMachine.seeded(ferry.api);
  });

  it("asks the agent for FinalSync, fails over from the final point and loses nothing", async () => {
    await source.changeAccepted();
    await source.cycle();
    const job = await source.start("migrate", { shutdownSource: true });
    expect(await source.waitForAction("FinalSync")).toMatchObject({ itemId: source.r.itemId, epoch: source.epoch });
    await source.changeAccepted(); // written by the source while it shut down
    finalDigests = source.digests();
    await source.cycle("CrashConsistent", { final: true });
    // Nothing after the final point may be acknowledged: it would not be in the migrated VM.
    for (const reply of await source.change())
      expect((reply.body as ApiError).error?.code, reply.text).toBe("ReplicationNotActive");
    const done = await source.settled(job.id);
    expect(done.state, JSON.stringify(done)).toBe("Succeeded");
    expect(taskStates(done)).toEqual(taskNames.migrate.map((name) => [name, "Succeeded"]));
    expect(done.warnings).toEqual([]);
    const [vm] = await source.vms();
    const item = await source.item();
    expect(vm).toMatchObject({ name: item.target.vmName, kind: "Migration", network: item.target.network });
    await expectVmDisksEqual(source, vm!, finalDigests);
    expect(item).toMatchObject({ migrationState: "MigrationSucceeded", allowedOperations: ["DisableMigration"] });
    expect(item.currentJobId).toBeUndefined();
  });

  it("refuses batches and cycles of the old replication that arrive late, and tells the agent to stop", async () => {
    const late = await source.change();
    for (const reply of late) {
      expect(reply.status).toBe(409);
      expect((reply.body as ApiError).error.code).toBe("ReplicationNotActive");
    }
    const cycle = await source.agent.cycle(source.r.itemId, source.cycleBody("CrashConsistent"));
    expect(cycle.status).toBe(409);
    expect((await source.instructions()).action).toBe("Stop");
    const [vm] = await source.vms();
    await expectVmDisksEqual(source, vm!, finalDigests);
  });

  it("completes the migration: the item goes, the VM stays, the agent's key stops working and it is told to stop", async () => {
    const [vm] = await source.vms();
    const job = await source.run("complete");
    expect(taskStates(job)).toEqual(taskNames.disable.map((name) => [name, "Succeeded"]));
    expect((await ferry.api.get(source.path)).status).toBe(404);
    const grid = await ferry.api.expect<{ value: { id: string }[] }>(
      ferry.api.get(`/projects/${source.r.projectId}/replicating-servers`),
      200,
    );
    expect(grid.value.map((i) => i.id)).not.toContain(source.r.itemId);
    expect((await ferry.api.get(`/projects/${source.r.projectId}/virtual-machines/${vm!.id}`)).status).toBe(200);
    await expectVmDisksEqual(source, vm!, finalDigests);
    const heard = await source.agent.heartbeat<ApiError>();
    expect([heard.status, heard.body.error.code]).toEqual([410, "AgentRetired"]);
    expect((await source.job(job.id)).state).toBe("Succeeded");
  });

  it("answers a second complete with 404: the item is gone and nothing else changes", async () => {
    const second = await source.operation<ApiError>("complete");
    expect(second.status).toBe(404);
    expect(second.body.error.code).toBe("NotFound");
    const jobs = await ferry.api.expect<{ value: { operation: string; state: string }[] }>(
      ferry.api.get(`/projects/${source.r.projectId}/jobs?itemId=${source.r.itemId}`),
      200,
    );
    expect(jobs.value.filter((j) => j.operation === "DisableMigration")).toEqual([
      expect.objectContaining({ state: "Succeeded" }),
    ]);
    expect(await source.vms()).toHaveLength(1);
  });
});

describe("migration without shutting the source down", () => {
  it("fails over from the latest point without FinalSync, skipping the shutdown and synchronization", async () => {
    const source = await SourceMachine.seeded(ferry.api);
    await source.changeAccepted();
    const latest = await source.cycle();
    await source.changeAccepted(); // after the latest point: not in the migrated VM
    const job = await source.start("migrate", { shutdownSource: false });
    const done = await source.settled(job.id);
    expect(done.state, JSON.stringify(done)).toBe("Succeeded");
    expect(done.tasks.filter((t) => t.state === "Skipped").map((t) => t.name)).toEqual([shutdownTask, syncTask]);
    expect(done.warnings.join(" ")).toMatch(/latest recovery point/);
    const [vm] = await source.vms();
    expect(vm!.recoveryPointId).toBe(latest.id);
    await expectVmDisksEqual(source, vm!, latest.digests);
    expect((await source.instructions()).action).toBe("Stop");
  });
});

describe("migration from a chosen recovery point", () => {
  it("migrates from a custom point chosen by id", async () => {
    const source = await SourceMachine.seeded(ferry.api);
    await source.changeAccepted();
    const chosen = await source.cycle();
    await source.changeAccepted();
    await source.cycle();
    const done = await source.settled(
      (await source.start("migrate", { shutdownSource: false, recoveryPoint: chosen.id })).id,
    );
    expect(done.state, JSON.stringify(done)).toBe("Succeeded");
    const [vm] = await source.vms();
    expect(vm!.recoveryPointId).toBe(chosen.id);
    await expectVmDisksEqual(source, vm!, chosen.digests);
  });

  it("migrates from the latest app-consistent point after the source shut down", async () => {
    const source = await SourceMachine.seeded(ferry.api);
    await source.changeAccepted();
    const app = await source.cycle("ApplicationConsistent");
    await source.changeAccepted();
    await source.cycle("CrashConsistent");
    const job = await source.start("migrate", { recoveryPoint: "LatestApplicationConsistent" });
    await source.waitForAction("FinalSync");
    await source.changeAccepted();
    await source.cycle("CrashConsistent", { final: true });
    const done = await source.settled(job.id);
    expect(done.state, JSON.stringify(done)).toBe("Succeeded");
    const [vm] = await source.vms();
    expect(vm!.recoveryPointId).toBe(app.id);
    await expectVmDisksEqual(source, vm!, app.digests);
  });
});

describe("a failed migration and its retry", () => {
  it("fails when its chosen point is pruned while the source shuts down, and a retry fails over from the retry's final point", async () => {
    const source = await SourceMachine.seeded(ferry.api);
    const [chosen] = await source.pointIds();
    const first = await source.start("migrate", { recoveryPoint: chosen });
    await source.waitForAction("FinalSync");
    // As retention would (the row first): the point was checked when asked for, and is gone now.
    await createStores({
      kind: "connectionString",
      connectionString: inject("storageConnectionString"),
    }).recoveryPoints.delete(source.r.itemId, chosen!);
    await source.changeAccepted();
    await source.cycle("CrashConsistent", { final: true });
    const failed = await source.settled(first.id);
    expect(failed.state).toBe("Failed");
    expect(failed.errors.map((e) => e.code)).toEqual(["NotFound"]);
    expect(await source.vms()).toEqual([]);
    const item = await source.item();
    expect(item).toMatchObject({
      migrationState: "MigrationFailed",
      allowedOperations: ["Migrate", "DisableMigration"],
    });
    expect(item.currentJobId).toBeUndefined();
    expect((await source.instructions()).action).toBe("Idle");

    const retry = await source.start("migrate", {});
    await source.waitForAction("FinalSync");
    await source.changeAccepted(); // written after the first attempt's final point: must not be lost
    const digests = source.digests();
    const final = await source.cycle("CrashConsistent", { final: true });
    const done = await source.settled(retry.id);
    expect(done.state, JSON.stringify(done)).toBe("Succeeded");
    const [vm] = await source.vms();
    expect(vm!.recoveryPointId).toBe(final.id);
    await expectVmDisksEqual(source, vm!, digests);
  });
});

describe("cancelling a migration", () => {
  it("cancels a migration waiting for FinalSync: back to Replicating, no VM, replication intact", async () => {
    const source = await SourceMachine.seeded(ferry.api);
    const job = await source.start("migrate", {});
    await source.waitForAction("FinalSync");
    const cancel = await ferry.api.post(`/projects/${source.r.projectId}/jobs/${job.id}/cancel`);
    expect(cancel.status, cancel.text).toBe(202);
    const done = await source.settled(job.id);
    expect(done.state).toBe("Cancelled");
    expect(done.tasks.find((t) => t.name === shutdownTask)?.state).toBe("Cancelled");
    expect(await source.vms()).toEqual([]);
    const item = await source.item();
    expect(item).toMatchObject({ migrationState: "Replicating", testMigrateState: "None" });
    expect(item.currentJobId).toBeUndefined();
    expect(item.allowedOperations).toContain("Migrate");
    expect((await source.instructions()).action).toBe("Replicate");
    await source.changeAccepted();
    await source.cycle();
  });
});

describe("cancelling a migration after its VM was made", () => {
  /** A migration past its final sync, cancelled once its VM is being made; false when the job finished first. */
  async function cancelDuringFailover(source: SourceMachine): Promise<boolean> {
    const job = await source.start("migrate", {});
    await source.waitForAction("FinalSync");
    await source.cycle("CrashConsistent", { final: true });
    const { cancelled, job: done } = await source.cancelOnceStarted(job.id, failoverTask);
    if (cancelled) expect(done.tasks.find((t) => t.name === failoverTask)?.state).toBe("Succeeded");
    return cancelled;
  }

  it("removes the migrated VM, releases the item, and a new migration still loses nothing", async () => {
    let source = await SourceMachine.seeded(ferry.api);
    for (let attempt = 1; !(await cancelDuringFailover(source)); attempt++) {
      expect(attempt, "the cancel never landed before the job ended").toBeLessThan(5);
      source = await SourceMachine.seeded(ferry.api);
    }
    expect(await source.vms()).toEqual([]);
    expect(await source.item()).toMatchObject({ migrationState: "Replicating" });
    expect((await source.instructions()).action).toBe("Replicate");
    await source.changeAccepted();
    await source.cycle();

    const again = await source.start("migrate", {});
    await source.waitForAction("FinalSync");
    await source.changeAccepted();
    const digests = source.digests();
    await source.cycle("CrashConsistent", { final: true });
    expect((await source.settled(again.id)).state).toBe("Succeeded");
    const [vm] = await source.vms();
    await expectVmDisksEqual(source, vm!, digests);
  });
});

describe("one operation at a time", () => {
  it("starts one migration when two requests race; the other names the running job", async () => {
    const source = await SourceMachine.seeded(ferry.api);
    const replies = await Promise.all([
      source.operation<{ job: { id: string } } & ApiError>("migrate", { shutdownSource: false }),
      source.operation<{ job: { id: string } } & ApiError>("migrate", { shutdownSource: false }),
    ]);
    const won = replies.find((r) => r.status === 202);
    const lost = replies.find((r) => r.status !== 202);
    expect(lost?.status, replies.map((r) => r.text).join("\n")).toBe(409);
    expect(lost?.body.error).toMatchObject({ code: "OperationInProgress", jobId: won?.body.job.id });
    expect((await source.settled(won!.body.job.id)).state).toBe("Succeeded");
  });
});

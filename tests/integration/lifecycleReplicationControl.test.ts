// Pause, resume and resynchronize over real HTTP, with the test acting as the agent: what the
// heartbeat tells the agent, and which of its batches and cycles the process server takes.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { taskNames } from "../../shared/domain/jobTasks";
import { startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";
import { expectOneWinner, expectVmDisksEqual, SourceMachine, taskStates } from "../support/lifecycleKit";

let ferry: RunningFerry;
let source: SourceMachine;

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"));
  source = await SourceMachine.seeded(ferry.api);
});
afterAll(async () => {
  await ferry?.stop();
});

async function expectRefused(code: string): Promise<void> {
  for (const reply of await source.change()) {
    expect(reply.status, reply.text).toBe(409);
    expect((reply.body as ApiError).error.code).toBe(code);
  }
}

describe("pausing and resuming replication", () => {
  it("pauses: the heartbeat says Pause, batches and cycles are refused, migration waits", async () => {
    const job = await expectOneWinner(source, "pause");
    expect(taskStates(await source.settled(job.id))).toEqual(taskNames.pause.map((name) => [name, "Succeeded"]));
    expect((await source.instructions()).action).toBe("Pause");
    await expectRefused("ReplicationNotActive");
    expect((await source.agent.cycle(source.r.itemId, source.cycleBody("CrashConsistent"))).status).toBe(409);
    const item = await source.item();
    expect(item).toMatchObject({ replicationPaused: true, migrationState: "Replicating" });
    expect(item.allowedOperations).not.toContain("Migrate");
    expect((await source.operation<ApiError>("pause")).status).toBe(409);
  });

  it("resumes: the heartbeat says Replicate again and the changes made meanwhile arrive", async () => {
    const job = await expectOneWinner(source, "resume");
    expect((await source.settled(job.id)).state).toBe("Succeeded");
    expect((await source.instructions()).action).toBe("Replicate");
    await source.changeAccepted();
    await source.cycle();
    expect(await source.item()).toMatchObject({ replicationPaused: false });
    expect((await source.operation<ApiError>("resume")).status).toBe(409);
  });
});

describe("one job after another", () => {
  it("releases the item before the job shows it finished, so the next operation starts at once", async () => {
    for (let round = 0; round < 10; round++) {
      const segment = round % 2 === 0 ? "pause" : "resume";
      const job = await source.start(segment);
      let seen = await source.job(job.id);
      while (seen.state !== "Succeeded") seen = await source.job(job.id); // no pause: read the item the moment the job ends
      expect((await source.item()).currentJobId, `${segment} round ${round}`).toBeUndefined();
    }
  });
});

describe("resynchronization", () => {
  it("tells the agent to re-read every disk, and ends when the re-read copy is complete", async () => {
    const job = await expectOneWinner(source, "resync");
    expect((await source.settled(job.id)).state).toBe("Succeeded");
    const during = await source.instructions();
    expect(during.disks.map((d) => d.mode)).toEqual(["Resync", "Resync"]);
    expect(await source.item()).toMatchObject({ resyncInProgress: true });
    expect((await source.item()).allowedOperations).not.toContain("Migrate");
    for (const image of source.images) expect((await source.sendRange(image, 0, image.sizeBytes)).status).toBe(200);
    const resynced = await source.cycle("CrashConsistent", { initialCopyComplete: true });
    const item = await source.item();
    expect(item).toMatchObject({ resyncInProgress: false, migrationState: "Replicating" });
    expect(item.allowedOperations).toContain("Migrate");
    expect((await source.instructions()).disks.map((d) => d.mode)).toEqual(["Delta", "Delta"]);
    await source.run("test-migrate", { network: "vnet-drill", recoveryPoint: resynced.id });
    const [vm] = await source.vms();
    await expectVmDisksEqual(source, vm!, resynced.digests);
    await source.run("test-migrate-cleanup");
  });
});

describe("removing replication from a replicating server", () => {
  it("completes from Replicating: one job wins, the item and the agent's key go", async () => {
    const job = await expectOneWinner(source, "complete");
    expect((await source.settled(job.id)).state).toBe("Succeeded");
    expect((await ferry.api.get(source.path)).status).toBe(404);
    // The agent is told its machine's migration is over, and to stop.
    const retired = await source.agent.heartbeat<{ error: { code: string } }>();
    expect(retired.status).toBe(410);
    expect(retired.body.error.code).toBe("AgentRetired");
  });
});

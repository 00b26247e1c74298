// Cancelling a job answers honestly: 202 only when the cancel will take effect (the job ends
// Cancelled, having undone what it made), 409 once the job's last task has started or it ended.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { taskNames } from "../../shared/domain/jobTasks";
import { startFerry, type ApiError, type ApiReply, type RunningFerry } from "../support/ferryApi";
import { SourceMachine, type LifecycleJob } from "../support/lifecycleKit";

let ferry: RunningFerry;

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"), { env: { FERRY_FINAL_SYNC_TIMEOUT_SECONDS: "120" } });
});
afterAll(async () => {
  await ferry?.stop();
});

type CancelReply = ApiReply<{ job: LifecycleJob & { cancelRequestedTime?: string } } & ApiError>;

function cancel(source: SourceMachine, jobId: string): Promise<CancelReply> {
  return ferry.api.post<CancelReply["body"]>(`/projects/${source.r.projectId}/jobs/${jobId}/cancel`);
}

function expectRefused(reply: CancelReply, reason: RegExp): void {
  expect(reply.status, reply.text).toBe(409);
  expect(reply.body.error).toMatchObject({
    code: "OperationNotAllowed",
    target: "Cancel",
    message: expect.stringMatching(reason),
  });
}

const [, , prepareTask, lastTestMigrateTask] = taskNames.testMigrate;

describe("cancelling a test migration past its point of no return", () => {
  let source: SourceMachine;
  beforeAll(async () => {
    source = await SourceMachine.seeded(ferry.api);
  });

  it("refuses once the last task has started: the job succeeds and keeps its VM", async () => {
    const job = await source.start("test-migrate", { network: "vnet-drill" });
    const seen = await source.taskPast(job.id, lastTestMigrateTask, "NotStarted");
    expect(seen.tasks.at(-1)?.state).not.toBe("NotStarted");
    expectRefused(
      await cancel(source, job.id),
      /last task 'Start the virtual machine' has started|already finished \(Succeeded\)/,
    );
    const done = await source.settled(job.id);
    expect(done.state).toBe("Succeeded");
    expect(done).not.toHaveProperty("cancelRequestedTime");
    expect(await source.vms()).toHaveLength(1);
    expect(await source.item()).toMatchObject({
      migrationState: "Replicating",
      testMigrateState: "TestMigrationSucceeded",
    });
    expectRefused(await cancel(source, job.id), /already finished \(Succeeded\)/);
    await source.run("test-migrate-cleanup");
  });

  it("either cancels or refuses a cancel racing the last step, never accepts one and then succeeds", async () => {
    for (let round = 0; round < 3; round++) {
      const job = await source.start("test-migrate", { network: "vnet-drill" });
      await source.taskPast(job.id, prepareTask, "NotStarted");
      const replies: CancelReply[] = [];
      // Cancels in a row from the step before the last: the first refusal ends the run.
      do replies.push(await cancel(source, job.id));
      while (replies.at(-1)?.status === 202 && (await source.job(job.id)).state === "InProgress");
      const done = await source.settled(job.id);
      const accepted = replies.some((r) => r.status === 202);
      expect(done.state, replies.map((r) => r.text).join("\n")).toBe(accepted ? "Cancelled" : "Succeeded");
      expect(await source.vms()).toHaveLength(accepted ? 0 : 1);
      if (accepted) {
        expect(done.tasks.at(-1)?.state).toBe("NotStarted");
        expect(await source.item()).toMatchObject({ migrationState: "Replicating", testMigrateState: "None" });
      } else {
        expectRefused(replies[0]!, /last task|already finished/);
        await source.run("test-migrate-cleanup");
      }
    }
  });
});

describe("an accepted cancel", () => {
  it("is shown on the job, answered again the same while the job winds down, and the job ends Cancelled", async () => {
    const source = await SourceMachine.seeded(ferry.api);
    const job = await source.start("migrate", {});
    await source.waitForAction("FinalSync");
    const first = await cancel(source, job.id);
    expect(first.status, first.text).toBe(202);
    expect(first.body.job.cancelRequestedTime).toEqual(expect.any(String));
    const again = await cancel(source, job.id);
    if (again.status === 202) expect(again.body.job.cancelRequestedTime).toBe(first.body.job.cancelRequestedTime);
    else expectRefused(again, /already finished \(Cancelled\)/);
    const done = await source.settled(job.id);
    expect(done.state).toBe("Cancelled");
    expect(done.tasks.filter((t) => t.state === "Succeeded" || t.state === "InProgress").map((t) => t.name)).toEqual([
      taskNames.migrate[0],
    ]);
    expect(await source.item()).toMatchObject({ migrationState: "Replicating" });
    expect((await source.instructions()).action).toBe("Replicate");
  });
});

describe("cancelling a migration past its point of no return", () => {
  it("refuses once the last task has started: the migration succeeds, its VM stays and the source is told to stop", async () => {
    const source = await SourceMachine.seeded(ferry.api);
    const job = await source.start("migrate", {});
    await source.waitForAction("FinalSync");
    await source.cycle("CrashConsistent", { final: true });
    await source.taskPast(job.id, taskNames.migrate.at(-1)!, "NotStarted");
    expectRefused(
      await cancel(source, job.id),
      /last task 'Updating the provider states' has started|already finished \(Succeeded\)/,
    );
    const done = await source.settled(job.id);
    expect(done.state, JSON.stringify(done)).toBe("Succeeded");
    expect(await source.vms()).toHaveLength(1);
    expect(await source.item()).toMatchObject({ migrationState: "MigrationSucceeded" });
    expect((await source.instructions()).action).toBe("Stop");
  });
});

describe("a job that cannot be cancelled", () => {
  it("refuses a cancel of a pause with 409 and lets it finish", async () => {
    const source = await SourceMachine.seeded(ferry.api);
    const job = await source.start("pause");
    expectRefused(await cancel(source, job.id), /cannot be cancelled|already finished/);
    expect((await source.settled(job.id)).state).toBe("Succeeded");
  });
});

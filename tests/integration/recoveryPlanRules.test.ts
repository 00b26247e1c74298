// What a recovery plan refuses and stops at, over real HTTP: a failing webhook, a cancel while a
// manual step waits, a maintenance window, a downtime budget, and webhooks Ferry will not call.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";
import type { SourceMachine } from "../support/lifecycleKit";
import { PlanDriver, seededProject } from "../support/planKit";
import { WebhookReceiver } from "../support/webhookReceiver";

let ferry: RunningFerry;
let receiver: WebhookReceiver;
let plans: PlanDriver;
let first: SourceMachine;
let second: SourceMachine;

beforeAll(async () => {
  [ferry, receiver] = await Promise.all([startFerry(inject("storageConnectionString")), WebhookReceiver.start()]);
  const { project, sources } = await seededProject(ferry.api, 2);
  plans = new PlanDriver(ferry.api, project.projectId);
  [first, second] = sources as [SourceMachine, SourceMachine];
});
afterAll(async () => {
  await Promise.all([ferry?.stop(), receiver?.stop()]);
});

const twoGroups = (postActions: object[]) => ({
  name: `plan-${Math.random().toString(16).slice(2, 8)}`,
  groups: [
    { name: "first", items: [first.r.itemId], postActions },
    { name: "second", items: [second.r.itemId] },
  ],
});

async function jobsOfProject(): Promise<{ id: string; operation: string }[]> {
  return (
    await ferry.api.expect<{ value: { id: string; operation: string }[] }>(
      ferry.api.get(`/projects/${plans.projectId}/jobs`),
      200,
    )
  ).value;
}

describe("a plan's claim on its items", () => {
  it("starts while the items' agents keep heartbeating (each heartbeat changes the item's row)", async () => {
    const { plan } = await plans.create(twoGroups([]));
    let beating = true;
    const beat = async (source: SourceMachine) => {
      while (beating) expect((await source.agent.heartbeat()).status).toBe(200);
    };
    const heartbeats = Promise.all([beat(first), beat(second), beat(first), beat(second)]);
    try {
      for (let round = 0; round < 3; round++) {
        const drill = await plans.settled((await plans.start(plan.id, "test-migrate", { network: "vnet-drill" })).id);
        expect(drill.state, JSON.stringify(drill)).toBe("Succeeded");
        const cleanup = await plans.settled((await plans.start(plan.id, "test-migrate-cleanup")).id);
        expect(cleanup.state, JSON.stringify(cleanup)).toBe("Succeeded");
      }
    } finally {
      beating = false;
      await heartbeats;
    }
  });
});

describe("a plan that stops", () => {
  it("fails at a webhook answering 500: the later group never starts, and cleanup passes over it", async () => {
    receiver.answer("/broken", 500);
    const { plan } = await plans.create(twoGroups([{ name: "smoke", kind: "Webhook", url: receiver.url("/broken") }]));
    const job = await plans.settled((await plans.start(plan.id, "test-migrate", { network: "vnet-drill" })).id);
    expect(job.state).toBe("Failed");
    expect(job.tasks.find((t) => t.name.endsWith("after: smoke"))).toMatchObject({
      state: "Failed",
      errors: [expect.objectContaining({ code: "WebhookFailed" })],
    });
    expect(job.tasks.filter((t) => t.name.startsWith("Group 2")).map((t) => t.state)).toEqual([
      "NotStarted",
      "NotStarted",
    ]);
    expect(await second.vms()).toEqual([]);
    expect((await second.item()).allowedOperations).toContain("TestMigrate");
    const cleanup = await plans.settled((await plans.start(plan.id, "test-migrate-cleanup")).id);
    expect(cleanup.state, JSON.stringify(cleanup)).toBe("Succeeded");
    expect(cleanup.tasks.find((t) => t.itemId === second.r.itemId)?.state).toBe("Skipped");
    expect(await first.vms()).toEqual([]);
  });

  it("cancelled while a manual step waits, removes the test VMs it made and gives the items back", async () => {
    const { plan } = await plans.create(twoGroups([{ name: "look", kind: "Manual", instructions: "Look at it." }]));
    const job = await plans.start(plan.id, "test-migrate", { network: "vnet-drill" });
    await plans.waiting(job.id);
    expect(await first.vms()).toHaveLength(1);
    expect((await plans.cancel(job.id)).status).toBe(202);
    const done = await plans.settled(job.id);
    expect(done.state, JSON.stringify(done)).toBe("Cancelled");
    expect(done.tasks.find((t) => t.name.endsWith("after: look"))?.state).toBe("Cancelled");
    expect(await first.vms()).toEqual([]);
    for (const source of [first, second]) {
      const item = await source.item();
      expect(item).toMatchObject({ testMigrateState: "None", migrationState: "Replicating" });
      expect(item.allowedOperations).toContain("TestMigrate");
    }
    const resumed = await plans.resume(job.id, "too late");
    expect(resumed.body.error?.code).toBe("OperationNotAllowed");
  });
});

describe("a plan migration in a maintenance window and a downtime budget", () => {
  it("refuses a migration whose estimated final sync is over the budget, naming the items; nothing changes", async () => {
    const { plan } = await plans.create(twoGroups([]));
    const slow = { bytesSent: 0, bytesPerSecond: 1_000_000, backlogBytes: 2_000_000_000 };
    expect((await first.agent.heartbeat(slow)).status).toBe(200);
    const item = (await first.item()) as unknown as { estimatedFinalSyncSeconds: number };
    expect(item.estimatedFinalSyncSeconds).toBeGreaterThan(2000);
    const jobsBefore = await jobsOfProject();
    const refused = await plans.refused(plan.id, "migrate", { maxDowntimeSeconds: 600 });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: "DowntimeBudgetExceeded",
      items: [{ itemId: first.r.itemId, estimatedFinalSyncSeconds: item.estimatedFinalSyncSeconds }],
      details: [{ code: "FinalSyncOverBudget", target: first.r.itemId, message: expect.any(String) }],
    });
    expect(await jobsOfProject()).toEqual(jobsBefore);
    expect((await first.instructions()).action).not.toBe("FinalSync");
    expect((await first.item()).allowedOperations).toContain("Migrate");
  });

  it("holds a scheduled migration NotStarted until its time, and a cancel then touches nothing", async () => {
    const { plan } = await plans.create(twoGroups([]));
    const startAt = new Date(Date.now() + 120_000).toISOString();
    const job = await plans.start(plan.id, "migrate", { startAt });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await plans.job(job.id)).state).toBe("NotStarted");
    expect((await first.instructions()).action).not.toBe("FinalSync");
    const own = await first.operation<ApiError & { error: { jobId: string } }>("migrate", { shutdownSource: false });
    expect([own.status, own.body.error.code, own.body.error.jobId]).toEqual([409, "OperationInProgress", job.id]);
    expect((await plans.cancel(job.id)).status).toBe(202);
    expect((await plans.settled(job.id)).state).toBe("Cancelled");
    expect(await first.vms()).toEqual([]);
    expect((await first.item()).allowedOperations).toContain("Migrate");
  });

  it("starts a scheduled migration within its budget at its time and migrates both groups", async () => {
    const { plan } = await plans.create(twoGroups([]));
    const fast = { bytesSent: 0, bytesPerSecond: 50_000_000, backlogBytes: 0 };
    for (const source of [first, second]) expect((await source.agent.heartbeat(fast)).status).toBe(200);
    const startAt = new Date(Date.now() + 3000).toISOString();
    const job = await plans.start(plan.id, "migrate", { startAt, maxDowntimeSeconds: 600, shutdownSource: false });
    expect(job.state).toBe("NotStarted");
    const done = await plans.settled(job.id);
    expect(done.state, JSON.stringify(done)).toBe("Succeeded");
    expect(Date.parse(done.startTime ?? "")).toBeGreaterThanOrEqual(Date.parse(startAt));
    for (const source of [first, second]) {
      expect((await source.vms()).map((vm) => vm.kind)).toEqual(["Migration"]);
      expect((await source.item()).migrationState).toBe("MigrationSucceeded");
    }
  });
});

describe("webhooks Ferry will not call", () => {
  it.each([
    ["the metadata address", "http://169.254.169.254/latest/meta-data"],
    ["the metadata address mapped into IPv6", "http://[::ffff:169.254.169.254]/"],
    ["the wire server", "http://168.63.129.16/"],
    ["a link-local IPv6 address", "http://[fe80::1]/hook"],
    ["another scheme", "ftp://example.com/hook"],
  ])("refuses %s when the plan is created (400), storing nothing", async (_, url) => {
    const before = await ferry.api.expect<{ value: unknown[] }>(ferry.api.get(plans.plansPath), 200);
    const reply = await ferry.api.post<ApiError>(plans.plansPath, twoGroups([{ name: "hook", kind: "Webhook", url }]));
    expect(reply.status, reply.text).toBe(400);
    expect(reply.body.error).toMatchObject({ code: "WebhookNotAllowed", target: "groups[0].postActions[0].url" });
    const after = await ferry.api.expect<{ value: unknown[] }>(ferry.api.get(plans.plansPath), 200);
    expect(after.value).toHaveLength(before.value.length);
  });
});

// A recovery plan of three servers in two groups, over real HTTP with the test as their agents and
// a real HTTP server as the operator's automation: drilled, resumed, cleaned up, migrated with
// shutdown and completed — VMs made group by group, every disk equal to its source.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startFerry, type RunningFerry } from "../support/ferryApi";
import { expectVmDisksEqual, type DiskDigests, type SourceMachine, type VmBody } from "../support/lifecycleKit";
import { PlanDriver, seededProject, type PlanBody } from "../support/planKit";
import { signatureValid, WebhookReceiver } from "../support/webhookReceiver";

let ferry: RunningFerry;
let receiver: WebhookReceiver;

beforeAll(async () => {
  [ferry, receiver] = await Promise.all([
    startFerry(inject("storageConnectionString"), { env: { FERRY_FINAL_SYNC_TIMEOUT_SECONDS: "120" } }),
    WebhookReceiver.start(),
  ]);
});
afterAll(async () => {
  await Promise.all([ferry?.stop(), receiver?.stop()]);
});

async function vmsOf(source: SourceMachine, kind: string): Promise<VmBody> {
  const vms = (await source.vms()).filter((vm) => vm.kind === kind);
  expect(vms).toHaveLength(1);
  return vms[0]!;
}

describe("a recovery plan of a database and two web servers", () => {
  let plans: PlanDriver;
  let db: SourceMachine;
  let web: SourceMachine[];
  let plan: PlanBody;
  let secret: string;

  beforeAll(async () => {
    const { project, sources } = await seededProject(ferry.api, 3);
    plans = new PlanDriver(ferry.api, project.projectId);
    [db, ...web] = sources as [SourceMachine, SourceMachine, SourceMachine];
    receiver.answer("/web-ready", 204);
    const created = await plans.create({
      name: "shop",
      groups: [
        {
          name: "db",
          items: [db.r.itemId],
          postActions: [{ name: "check-db", kind: "Manual", instructions: "Log in and check the database answers." }],
        },
        {
          name: "web",
          items: web.map((s) => s.r.itemId),
          preActions: [{ name: "tell-web", kind: "Webhook", url: receiver.url("/web-ready"), timeoutSeconds: 10 }],
        },
      ],
    });
    plan = created.plan;
    secret = created.webhookSecret;
  });

  it("answers 201 with the groups, each item named, and the webhook secret once", async () => {
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(plan.groups.map((g) => g.items.map((i) => i.id))).toEqual([[db.r.itemId], web.map((s) => s.r.itemId)]);
    expect(plan.groups[0]!.items[0]).toMatchObject({ name: (await db.item()).target.vmName ?? expect.any(String) });
    const again = await ferry.api.expect<PlanBody & { webhookSecret?: string }>(
      ferry.api.get(`${plans.plansPath}/${plan.id}`),
      200,
    );
    expect(again.webhookSecret).toBeUndefined();
    expect(again.groups[1]!.items.every((i) => i.migrationState === "Replicating")).toBe(true);
  });

  it("drills group by group, waits for the manual check, calls the signed webhook, and refuses the items' own operations", async () => {
    const digests = [db, ...web].map((s) => s.digests());
    const job = await plans.start(plan.id, "test-migrate", { network: "vnet-drill" });
    const waiting = await plans.waiting(job.id);
    expect(waiting).toMatchObject({
      name: "Group 1 (db): after: check-db",
      instructions: expect.stringMatching(/database/),
    });
    expect((await plans.job(job.id)).state).toBe("InProgress");
    for (const source of [db, web[0]!]) {
      const own = await source.operation<{ error: { code: string; jobId: string } }>("test-migrate-cleanup");
      expect(own.status, own.text).toBe(409);
      expect(own.body.error).toMatchObject({ code: "OperationInProgress", jobId: job.id });
    }
    expect(await web[0]!.vms()).toEqual([]);
    expect(receiver.calls).toHaveLength(0);

    const resumed = await plans.resume(job.id, "database answers");
    expect(resumed.status, resumed.text).toBe(202);
    const done = await plans.settled(job.id);
    expect(done.state, JSON.stringify(done)).toBe("Succeeded");
    expect(done.tasks.find((t) => t.name === waiting.name)).toMatchObject({
      state: "Succeeded",
      comment: "database answers",
    });
    const again = await plans.resume(job.id, "twice");
    expect([again.status, again.body.error?.code]).toEqual([409, "OperationNotAllowed"]);

    const vms = await Promise.all([db, ...web].map((s) => vmsOf(s, "TestMigration")));
    const [dbVm, ...webVms] = vms;
    for (const vm of webVms) expect(Date.parse(vm.createdAt)).toBeGreaterThan(Date.parse(dbVm!.createdAt));
    for (const [at, source] of [db, ...web].entries()) await expectVmDisksEqual(source, vms[at]!, digests[at]!);

    expect(receiver.calls).toHaveLength(1);
    const call = receiver.calls[0]!;
    expect(signatureValid(call, secret)).toBe(true);
    expect(call.receivedAt).toBeGreaterThan(Date.parse(dbVm!.createdAt));
    expect(JSON.parse(call.body)).toMatchObject({
      plan: { id: plan.id, name: "shop" },
      job: { id: job.id },
      group: { name: "web" },
      virtualMachines: [{ id: dbVm!.id, name: dbVm!.name, privateIpAddress: dbVm!.networkInterface.privateIpAddress }],
    });
    expect((await db.item()).currentJobId).toBeUndefined();
  });

  it("cleans up from the last group back to the first", async () => {
    const job = await plans.settled((await plans.start(plan.id, "test-migrate-cleanup")).id);
    expect(job.state, JSON.stringify(job)).toBe("Succeeded");
    const groupTasks = job.tasks.filter((t) => t.kind === "Group").map((t) => t.name);
    expect(groupTasks).toEqual(["Group 2 (web)", "Group 1 (db)"]);
    for (const source of [db, ...web]) {
      expect(await source.vms()).toEqual([]);
      expect((await source.item()).testMigrateState).toBe("None");
    }
  });

  it("migrates with each source shut down in its group's turn, then completes; nothing is lost", async () => {
    receiver.calls.length = 0;
    const job = await plans.start(plan.id, "migrate", { shutdownSource: true });
    const finalDigests: DiskDigests[] = [];
    await db.waitForAction("FinalSync");
    expect((await web[0]!.instructions()).action).not.toBe("FinalSync");
    await db.changeAccepted();
    finalDigests.push(db.digests());
    await db.cycle("CrashConsistent", { final: true });
    await plans.waiting(job.id);
    expect((await plans.resume(job.id, "db is up")).status).toBe(202);
    for (const source of web) {
      await source.waitForAction("FinalSync");
      await source.changeAccepted();
      finalDigests.push(source.digests());
      await source.cycle("CrashConsistent", { final: true });
    }
    const done = await plans.settled(job.id);
    expect(done.state, JSON.stringify(done)).toBe("Succeeded");
    const vms = await Promise.all([db, ...web].map((s) => vmsOf(s, "Migration")));
    for (const vm of vms.slice(1)) expect(Date.parse(vm.createdAt)).toBeGreaterThan(Date.parse(vms[0]!.createdAt));
    for (const [at, source] of [db, ...web].entries()) await expectVmDisksEqual(source, vms[at]!, finalDigests[at]!);
    expect(receiver.calls).toHaveLength(1);

    const completed = await plans.settled((await plans.start(plan.id, "complete")).id);
    expect(completed.state, JSON.stringify(completed)).toBe("Succeeded");
    for (const [at, source] of [db, ...web].entries()) {
      expect((await ferry.api.get(source.path)).status).toBe(404);
      const vm = await ferry.api.get(`/projects/${source.r.projectId}/virtual-machines/${vms[at]!.id}`);
      expect(vm.status).toBe(200);
    }
  });
});

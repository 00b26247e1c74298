// A migration or test migration naming a recovery point it could not use is refused when asked,
// before anything changes: no job, no item change, no VM, and the source is not told to shut down.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { newId } from "../../shared/domain/ids";
import { recoveryPointChoices } from "../../shared/domain/recoveryPoints";
import { startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";
import { SourceMachine } from "../support/lifecycleKit";

let ferry: RunningFerry;
let source: SourceMachine;

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"));
  source = await SourceMachine.seeded(ferry.api);
});
afterAll(async () => {
  await ferry?.stop();
});

/** What a refused request must leave as it was. */
async function observable(machine: SourceMachine) {
  const jobs = await ferry.api.expect<{ value: { id: string }[] }>(
    ferry.api.get(`/projects/${machine.r.projectId}/jobs?itemId=${machine.r.itemId}`),
    200,
  );
  const { migrationState, testMigrateState, currentJobId, allowedOperations } = await machine.item();
  return {
    item: { migrationState, testMigrateState, currentJobId, allowedOperations },
    jobs: jobs.value.map((j) => j.id),
    vms: await machine.vms(),
    points: await machine.pointIds(),
    action: (await machine.instructions()).action,
  };
}

/** Asks for `segment` naming `recoveryPoint`; expects the refusal and that nothing changed. */
async function expectRefused(
  segment: "migrate" | "test-migrate",
  recoveryPoint: string,
  status: number,
  code: string,
): Promise<ApiError["error"]> {
  const before = await observable(source);
  const body =
    segment === "migrate" ? { shutdownSource: true, recoveryPoint } : { network: "vnet-drill", recoveryPoint };
  const reply = await source.operation<ApiError>(segment, body);
  expect(reply.status, reply.text).toBe(status);
  expect(reply.body.error.code).toBe(code);
  const after = await observable(source);
  expect(after).toEqual(before);
  expect(after.item).toMatchObject({ migrationState: "Replicating", testMigrateState: "None" });
  expect(after.item.currentJobId).toBeUndefined();
  expect(after.action).toBe("Replicate"); // never FinalSync: the source was not asked to shut down
  return reply.body.error;
}

describe("a recovery point that does not exist", () => {
  it("refuses a migration naming an unknown point with 404 before the source is shut down", async () => {
    const unknown = newId("recoveryPoint", new Date(), randomBytes);
    const error = await expectRefused("migrate", unknown, 404, "NotFound");
    expect(error.message).toContain(unknown);
    expect(error.target).toBe("RecoveryPoint");
  });

  it("refuses a test migration naming an unknown point with 404", async () => {
    await expectRefused("test-migrate", newId("recoveryPoint", new Date(), randomBytes), 404, "NotFound");
  });

  it("refuses a point of another replicating server as if it did not exist", async () => {
    const other = await SourceMachine.seeded(ferry.api);
    const [foreign] = await other.pointIds();
    await expectRefused("migrate", foreign!, 404, "NotFound");
    await expectRefused("test-migrate", foreign!, 404, "NotFound");
  });
});

describe("no application-consistent point", () => {
  it("refuses LatestApplicationConsistent up front when the item has none", async () => {
    const error = await expectRefused("migrate", "LatestApplicationConsistent", 409, "NoRecoveryPoint");
    expect(error.message).toMatch(/no application-consistent recovery point/);
    await expectRefused("test-migrate", "LatestApplicationConsistent", 409, "NoRecoveryPoint");
  });
});

describe("a recovery point being pruned", () => {
  it("refuses a point past the policy's retention (72 h) and does not serve a named choice from it", async () => {
    const sourceTime = new Date(Date.now() - 100 * 3_600_000).toISOString();
    const old = await source.agent.cycle(source.r.itemId, source.cycleBody("ApplicationConsistent", { sourceTime }));
    expect(old.status, old.text).toBe(200);
    const pointId = old.body.recoveryPointId;
    // Points are ordered by when the server recorded them, so a later point makes the old one
    // neither the newest nor the newest processed: retention may take it.
    await source.cycle("CrashConsistent");
    // Retention may prune the point while this runs; nothing else may change.
    const unchangedBut = async (then: Awaited<ReturnType<typeof observable>>) =>
      expect({ ...(await observable(source)), points: [] }).toEqual({ ...then, points: [] });
    const before = await observable(source);
    const byId = await source.operation<ApiError>("migrate", { shutdownSource: true, recoveryPoint: pointId });
    // Any host's maintenance timer (every minute) may have pruned it already: then it is simply unknown.
    expect([409, 404], byId.text).toContain(byId.status);
    if (byId.status === 409)
      expect(byId.body.error).toMatchObject({
        code: "NoRecoveryPoint",
        message: expect.stringMatching(/being pruned/),
      });
    else expect(byId.body.error.code).toBe("NotFound");
    await unchangedBut(before);
    const named = await source.operation<ApiError>("test-migrate", {
      network: "vnet-drill",
      recoveryPoint: "LatestApplicationConsistent",
    });
    expect(named.status, named.text).toBe(409);
    expect(named.body.error.code).toBe("NoRecoveryPoint");
    await unchangedBut(before);
    expect(before.action).toBe("Replicate");
  });
});

describe("the named choices", () => {
  it("still starts a test migration from each of them, and from a point chosen by id", async () => {
    await source.changeAccepted();
    const app = await source.cycle("ApplicationConsistent");
    for (const choice of [...recoveryPointChoices, app.id]) {
      const job = await source.run("test-migrate", { network: "vnet-drill", recoveryPoint: choice });
      expect(job.state, choice).toBe("Succeeded");
      await source.run("test-migrate-cleanup");
    }
  });

  it("still migrates from LatestCrashConsistent", async () => {
    const job = await source.run("migrate", { shutdownSource: false, recoveryPoint: "LatestCrashConsistent" });
    expect(job.state).toBe("Succeeded");
    expect(await source.vms()).toHaveLength(1);
  });
});

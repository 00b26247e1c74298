import { describe, expect, it } from "vitest";
import { estimateFinalSyncSeconds, finalSyncOverheadSeconds, overBudget } from "../../shared/domain/finalSyncEstimate";
import { createPlanJob, planCancelRefusal, planSteps } from "../../shared/domain/planJobs";
import { checkGroups, normalizeGroups, type RecoveryPlan } from "../../shared/domain/recoveryPlans";
import { blockedAddressReason, webhookUrlProblem } from "../../shared/domain/webhookAddresses";

describe("webhook addresses", () => {
  it.each([
    "169.254.169.254",
    "169.254.0.1",
    "168.63.129.16",
    "fd00:ec2::254",
    "fe80::1",
    "febf::1",
    "::ffff:a9fe:a9fe",
  ])("refuses %s", (address) => expect(blockedAddressReason(address)).toBeDefined());

  it.each(["127.0.0.1", "10.0.0.4", "2001:db8::1", "fec0::1", "example.com"])("lets %s through", (address) =>
    expect(blockedAddressReason(address)).toBeUndefined(),
  );

  it("calls only http(s), never with credentials, and only allowed hosts when a list is set", () => {
    expect(webhookUrlProblem("ftp://example.com/", undefined)).toMatch(/http/);
    expect(webhookUrlProblem("https://user:pw@example.com/", undefined)).toMatch(/credentials/);
    expect(webhookUrlProblem("https://hooks.example.com/x", ["hooks.example.com"])).toBeUndefined();
    expect(webhookUrlProblem("https://other.example.com/x", ["hooks.example.com"])).toMatch(/ALLOWED_HOSTS/);
    expect(webhookUrlProblem("http://2852039166/", undefined)).toMatch(/metadata/);
  });
});

describe("the final sync estimate", () => {
  it("sends the backlog and the changes since the last point at the upload speed, plus the fixed steps", () => {
    const figures = { backlogBytes: 10_000_000, churnBytesPerSecond: 100_000, uploadBytesPerSecond: 1_000_000 };
    expect(estimateFinalSyncSeconds({ ...figures, secondsSinceLastPoint: 100 })).toBe(finalSyncOverheadSeconds + 20);
    expect(
      estimateFinalSyncSeconds({ ...figures, backlogBytes: 0, churnBytesPerSecond: 0, secondsSinceLastPoint: 9 }),
    ).toBe(finalSyncOverheadSeconds);
    expect(estimateFinalSyncSeconds({ ...figures, uploadBytesPerSecond: 0, secondsSinceLastPoint: 0 })).toBeUndefined();
  });

  it("counts an item without an estimate as over the budget", () => {
    const over = overBudget(
      [
        { itemId: "a", name: "a", estimatedFinalSyncSeconds: 30 },
        { itemId: "b", name: "b", estimatedFinalSyncSeconds: 90 },
        { itemId: "c", name: "c", estimatedFinalSyncSeconds: null },
      ],
      60,
    );
    expect(over.map((e) => e.itemId)).toEqual(["b", "c"]);
  });
});

const plan: RecoveryPlan = {
  id: "rpl_1",
  name: "shop",
  createTime: "2026-01-01T00:00:00.000Z",
  updateTime: "2026-01-01T00:00:00.000Z",
  groups: normalizeGroups([
    { name: "db", items: ["i1"], postActions: [{ name: "check", kind: "Manual", instructions: "Check." }] },
    { items: ["i2", "i3"] },
  ]),
};
const names = new Map([
  ["i1", "db1"],
  ["i2", "web"],
  ["i3", "web"],
]);

describe("a plan's job", () => {
  it("lists each group, its actions and items in the order they run, cleanup in reverse", () => {
    const job = createPlanJob({
      id: "job_1",
      plan,
      operation: "RecoveryPlanTestMigrate",
      itemNames: names,
      now: new Date(),
    });
    expect(job.tasks.map((t) => [t.kind, t.name])).toEqual([
      ["Group", "Group 1 (db)"],
      ["Item", "Group 1 (db): db1"],
      ["Action", "Group 1 (db): after: check"],
      ["Group", "Group 2 (Group 2)"],
      ["Item", "Group 2 (Group 2): web (i2)"],
      ["Item", "Group 2 (Group 2): web (i3)"],
    ]);
    expect(planSteps(plan, "RecoveryPlanTestMigrateCleanup", names).map((g) => g.name)).toEqual(["Group 2", "db"]);
    expect(planSteps(plan, "RecoveryPlanTestMigrateCleanup", names)[1]?.post).toEqual([]);
  });

  it("refuses an item in two groups and two groups of one name", () => {
    expect(checkGroups(normalizeGroups([{ items: ["a"] }, { items: ["a"] }])).ok).toBe(false);
    expect(
      checkGroups(
        normalizeGroups([
          { name: "x", items: ["a"] },
          { name: "x", items: ["b"] },
        ]),
      ).ok,
    ).toBe(false);
  });

  it("is past a migration's point of no return once an item has started", () => {
    const job = createPlanJob({
      id: "job_1",
      plan,
      operation: "RecoveryPlanMigrate",
      itemNames: names,
      now: new Date(),
    });
    expect(planCancelRefusal(job)).toBeUndefined();
    const started = {
      ...job,
      tasks: job.tasks.map((t) => (t.kind === "Item" ? { ...t, state: "InProgress" as const } : t)),
    };
    expect(planCancelRefusal(started)).toMatch(/shut down/);
  });
});

import { describe, expect, it } from "vitest";
import { DoubtLedger, DoubtToReport } from "../../agent/run/doubts";
import type { DiskJournal, JournalStore } from "../../agent/run/journal";
import type { DiskInstruction, Instructions } from "../../agent/run/protocol";
import { reconcileDisk } from "../../agent/run/reconcile";
import { itemAfterCycle } from "../../shared/replication/points/cycleFigures";
import { withResyncReports } from "../../shared/replication/ingest/resyncReports";
import type { ItemRow } from "../../shared/storage/rows";

const now = new Date("2025-01-01T12:00:00Z");
const disk = {
  diskId: "disk0",
  sizeBytes: 1 << 20,
  isBoot: true,
  include: true,
  diskType: "Standard_LRS",
  bytesReplicated: 1 << 20,
  uploadBytesPerSecond: 0,
};
const row = (overrides: Partial<ItemRow> = {}): ItemRow => ({
  machineId: "machine_1",
  machineName: "src",
  policyId: "policy_1",
  migrationState: "Replicating",
  testMigrateState: "None",
  replicationPaused: false,
  resyncRequired: false,
  resyncInProgress: false,
  target: "{}",
  disks: JSON.stringify([disk]),
  initialSeedingProgress: 100,
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
  ...overrides,
});
const report = (since: string) => [{ diskId: "disk0", reason: "the journal is missing", since }];

describe("the agent's report of lost state", () => {
  it("starts a resync at once, with an id and the agent's reason", () => {
    const next = withResyncReports(row(), report("2025-01-01T11:59:00Z"), now);
    expect(next).toMatchObject({
      resyncRequired: false,
      resyncInProgress: true,
      resyncStartedAt: now.toISOString(),
      resyncDoubtAt: "2025-01-01T11:59:00.000Z",
    });
    expect(next.resyncReason).toMatch(/journal is missing/);
  });

  it("waits as ResyncRequired while paused, and starts once resumed and still reported", () => {
    const paused = withResyncReports(row({ replicationPaused: true }), report("2025-01-01T11:59:00Z"), now);
    expect(paused).toMatchObject({ resyncRequired: true, resyncInProgress: false });
    expect(paused.resyncStartedAt).toBeUndefined();
    const resumed = withResyncReports({ ...paused, replicationPaused: false }, report("2025-01-01T11:59:00Z"), now);
    expect(resumed).toMatchObject({ resyncRequired: false, resyncInProgress: true });
  });

  it("starts nothing for a doubt already acted on, nor while seeding (the copy itself re-reads everything)", () => {
    const done = row({ resyncDoubtAt: "2025-01-01T11:59:00.000Z" });
    expect(withResyncReports(done, report("2025-01-01T11:59:00Z"), now)).toMatchObject({
      resyncRequired: false,
      resyncInProgress: false,
    });
    const seeding = withResyncReports(
      row({ migrationState: "InitialSeedingInProgress" }),
      report("2025-01-01T11:59:00Z"),
      now,
    );
    expect(seeding).toMatchObject({
      migrationState: "InitialSeedingInProgress",
      resyncRequired: false,
      resyncDoubtAt: "2025-01-01T11:59:00.000Z",
    });
  });

  it("gives an operator's resync an id at the next heartbeat", () => {
    expect(withResyncReports(row({ resyncInProgress: true }), [], now).resyncStartedAt).toBe(now.toISOString());
  });
});

describe("the cycle that ends a resync", () => {
  const running = row({
    resyncInProgress: true,
    resyncStartedAt: "2025-01-01T11:00:00.000Z",
    resyncReason: "why",
    lastRecoveryPointTime: "2025-01-01T10:00:00.000Z",
  });
  const cycle = (extra: object, created = true) => ({
    request: {
      cycleId: "c1",
      sourceTime: now.toISOString(),
      type: "Inconsistent" as const,
      disks: [],
      initialCopyComplete: true,
      ...extra,
    },
    created,
    processed: true,
    time: now.toISOString(),
    now,
  });

  it("completes only the resync it names, and clears its id and reason", () => {
    const done = itemAfterCycle(running, cycle({ resyncId: "2025-01-01T11:00:00.000Z" }));
    expect(done).toMatchObject({ resyncInProgress: false, resyncRequired: false });
    expect(done && "resyncStartedAt" in done).toBe(false);
    expect(done && "resyncReason" in done).toBe(false);
    expect(itemAfterCycle(running, cycle({ resyncId: "another" }))).toMatchObject({ resyncInProgress: true });
  });

  it("is never a resent cycle recorded before the resync began", () => {
    expect(itemAfterCycle({ ...running, lastRecoveryPointTime: now.toISOString() }, cycle({}, false))).toBeUndefined();
  });
});

describe("churn between delta points", () => {
  it("is the bytes replicated since the previous point over the source time between them", () => {
    const base = row({
      lastRecoveryPointTime: "2025-01-01T11:59:50.000Z",
      disks: JSON.stringify([{ ...disk, bytesReplicated: 300_000_000, bytesAtLastPoint: 100_000_000 }]),
    });
    const next = itemAfterCycle(base, {
      request: { cycleId: "c", sourceTime: now.toISOString(), type: "CrashConsistent", disks: [] },
      created: true,
      processed: true,
      time: now.toISOString(),
      now,
    });
    expect(JSON.parse(next?.disks ?? "[]")[0]).toMatchObject({
      churnBytesPerSecond: 20_000_000,
      bytesAtLastPoint: 300_000_000,
    });
  });

  it("is not measured from copy traffic (a resync)", () => {
    const base = row({
      resyncInProgress: true,
      lastRecoveryPointTime: "2025-01-01T11:59:50.000Z",
      disks: JSON.stringify([{ ...disk, bytesAtLastPoint: 0 }]),
    });
    const next = itemAfterCycle(base, {
      request: { cycleId: "c", sourceTime: now.toISOString(), type: "Inconsistent", disks: [] },
      created: true,
      processed: true,
      time: now.toISOString(),
      now,
    });
    expect(JSON.parse(next?.disks ?? "[]")[0].churnBytesPerSecond).toBeUndefined();
  });
});

describe("the agent's doubts", () => {
  const instruction = (mode: DiskInstruction["mode"]): DiskInstruction => ({
    diskId: "disk0",
    sizeBytes: 1 << 20,
    nextSequence: 7,
    mode,
  });

  it("doubts a disk past its initial copy that has no journal entry, not one still seeding", () => {
    expect(reconcileDisk(undefined, instruction("Delta"), 1, { now })).toMatchObject({
      resetMap: true,
      doubt: expect.stringMatching(/no journal entry/),
      disk: { doubtAt: now.toISOString() },
    });
    expect(reconcileDisk(undefined, instruction("Initial"), 1).doubt).toBeUndefined();
  });

  it("restarts the re-read for a new resync even when the last one never saw Delta in between", () => {
    const finished: DiskJournal = {
      epoch: 1,
      nextSequence: 7,
      mode: "Resync",
      copyOffset: 1 << 20,
      copyComplete: true,
      resyncId: "r1",
    };
    expect(reconcileDisk(finished, instruction("Resync"), 1, { resyncId: "r1" }).resetMap).toBe(false);
    expect(reconcileDisk(finished, instruction("Resync"), 1, { resyncId: "r2" })).toMatchObject({
      resetMap: true,
      disk: { copyComplete: false, copyOffset: 0, resyncId: "r2" },
    });
  });

  it("holds a Delta cycle back until a heartbeat has carried the doubt", () => {
    const entry: DiskJournal = {
      epoch: 1,
      nextSequence: 7,
      mode: "Delta",
      copyOffset: 0,
      copyComplete: false,
      doubt: "lost",
      doubtAt: now.toISOString(),
    };
    const journal = { value: { version: 1, disks: { disk0: entry } }, disk: () => entry } as unknown as JournalStore;
    const ledger = new DoubtLedger(journal);
    const instructions = {
      action: "Replicate",
      cycleIntervalSeconds: 1,
      appConsistentIntervalSeconds: 0,
      disks: [instruction("Delta")],
    } as Instructions;
    expect(() => ledger.checkReported(instructions)).toThrow(DoubtToReport);
    ledger.delivered(ledger.reports());
    expect(() => ledger.checkReported(instructions)).not.toThrow();
    expect(() =>
      new DoubtLedger(journal).checkReported({ ...instructions, disks: [instruction("Resync")] }),
    ).not.toThrow();
  });
});

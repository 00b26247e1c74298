import { describe, expect, it } from "vitest";
import { itemHealth } from "../../shared/controlPlane/itemHealth";
import { churnLimits, worstChurn } from "../../shared/domain/churn";
import type { ItemRow } from "../../shared/storage/rows";

const now = new Date("2025-01-01T12:00:00Z");
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();
const disk = (churn?: number) => ({
  diskId: "d",
  sizeBytes: 1,
  isBoot: false,
  include: true,
  diskType: "Standard_LRS",
  bytesReplicated: 0,
  uploadBytesPerSecond: 0,
  ...(churn === undefined ? {} : { churnBytesPerSecond: churn }),
});
const row = (overrides: Partial<ItemRow> = {}): ItemRow => ({
  machineId: "m",
  machineName: "src",
  policyId: "p",
  migrationState: "Replicating",
  testMigrateState: "None",
  replicationPaused: false,
  resyncRequired: false,
  resyncInProgress: false,
  target: "{}",
  disks: JSON.stringify([disk()]),
  initialSeedingProgress: 100,
  lastHeartbeatTime: minutesAgo(1),
  lastRecoveryPointTime: minutesAgo(2),
  createdAt: minutesAgo(600),
  updatedAt: minutesAgo(1),
  ...overrides,
});
const codes = (item: ItemRow) => itemHealth(item, 60, now).healthErrors.map((error) => error.code);

describe("an item's health from its row", () => {
  it("is Normal while heartbeats, points and churn are fine", () => {
    expect(itemHealth(row(), 60, now)).toMatchObject({ health: "Normal", healthErrors: [], rpoSeconds: 120 });
  });

  it("loses the agent after 15 minutes without a heartbeat", () => {
    expect(codes(row({ lastHeartbeatTime: minutesAgo(16) }))).toEqual(["AgentHeartbeatLost"]);
  });

  it("calls initial replication stalled 30 minutes after the last data arrived, not after the start", () => {
    const seeding = {
      migrationState: "InitialSeedingInProgress",
      lastRecoveryPointTime: undefined,
      initialSeedingProgress: 40,
      replicationStartedAt: minutesAgo(300),
    };
    expect(codes(row({ ...seeding, lastProgressTime: minutesAgo(5) }))).toEqual([]);
    expect(codes(row({ ...seeding, lastProgressTime: minutesAgo(31) }))).toEqual(["InitialReplicationStalled"]);
  });

  it("shows what the agent's last heartbeat reported, and nothing once it stopped reporting", () => {
    const problems = [
      { code: "AgentStateDiskFull", message: "No space left", since: minutesAgo(2), replicationStopped: false },
    ];
    expect(itemHealth(row({ agentProblems: JSON.stringify(problems) }), 60, now)).toMatchObject({
      health: "Warning",
      healthErrors: [{ code: "AgentStateDiskFull", severity: "Warning" }],
    });
    expect(codes(row({ agentProblems: undefined }))).toEqual([]);
  });

  it("reports churn above a disk's limit, from the disk figures the cycles measure", () => {
    expect(codes(row({ disks: JSON.stringify([disk(25_000_000), disk(1_000)]) }))).toEqual(["ChurnLimitExceeded"]);
    expect(codes(row({ disks: JSON.stringify([disk(15_000_000)]) }))).toEqual([]);
  });
});

describe("the worst churn figure", () => {
  it("compares the busiest disk with 20 MB/s and the machine's total with 54 MB/s", () => {
    expect(worstChurn([])).toBeUndefined();
    expect(worstChurn([25e6, 1e6])).toEqual({
      churnBytesPerSecond: 25e6,
      churnLimitBytesPerSecond: churnLimits.perDiskBytesPerSecond,
    });
    expect(worstChurn([19e6, 19e6, 19e6])).toEqual({
      churnBytesPerSecond: 57e6,
      churnLimitBytesPerSecond: churnLimits.perMachineBytesPerSecond,
    });
  });
});

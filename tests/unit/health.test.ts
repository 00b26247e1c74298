import { describe, expect, it } from "vitest";
import { assessHealth, type HealthFigures } from "../../shared/domain/health";

const now = new Date("2025-01-01T12:00:00Z");
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

const healthy: HealthFigures = {
  now,
  migrationState: "Replicating",
  replicationPaused: false,
  resyncRequired: false,
  rpoThresholdMinutes: 60,
  lastHeartbeatTime: minutesAgo(1),
  lastRecoveryPointTime: minutesAgo(4),
  replicatedUpToTime: minutesAgo(0.5),
  churnBytesPerSecond: 1_000_000,
  churnLimitBytesPerSecond: 54_000_000,
};

const codes = (figures: Partial<HealthFigures>) =>
  assessHealth({ ...healthy, ...figures }).healthErrors.map((error) => error.code);

describe("item health", () => {
  it("is Normal with no errors when everything is fresh, and reports the RPO", () => {
    expect(assessHealth(healthy)).toEqual({ health: "Normal", healthErrors: [], rpoSeconds: 30 });
  });

  it("warns when the RPO exceeds the policy threshold", () => {
    const report = assessHealth({
      ...healthy,
      replicatedUpToTime: minutesAgo(75),
      lastRecoveryPointTime: minutesAgo(75),
    });
    expect(report.health).toBe("Warning");
    expect(report.healthErrors.map((e) => e.code)).toEqual(["RpoThresholdExceeded"]);
    expect(report.healthErrors[0]!.message).toContain("75 minutes");
  });

  it("is Critical when no recovery point is recent", () => {
    expect(codes({ replicatedUpToTime: undefined, lastRecoveryPointTime: minutesAgo(121) })).toEqual([
      "RpoThresholdExceeded",
      "NoRecentRecoveryPoint",
    ]);
    expect(assessHealth({ ...healthy, lastRecoveryPointTime: undefined, replicatedUpToTime: undefined }).health).toBe(
      "Critical",
    );
  });

  it("warns when the newest processed point is further behind the newest point than the RPO threshold", () => {
    expect(codes({ lastRecoveryPointTime: minutesAgo(4), lastProcessedPointTime: minutesAgo(60) })).toEqual([]);
    const report = assessHealth({
      ...healthy,
      lastRecoveryPointTime: minutesAgo(4),
      lastProcessedPointTime: minutesAgo(70),
    });
    expect([report.health, report.healthErrors.map((e) => e.code)]).toEqual(["Warning", ["ProcessingLagExceeded"]]);
    expect(report.healthErrors[0]!.message).toContain("66 minutes");
  });

  it("is Critical when the agent's heartbeat is lost for 15 minutes", () => {
    expect(codes({ lastHeartbeatTime: minutesAgo(15) })).toEqual([]);
    expect(codes({ lastHeartbeatTime: minutesAgo(16) })).toEqual(["AgentHeartbeatLost"]);
    expect(assessHealth({ ...healthy, lastHeartbeatTime: undefined }).healthErrors[0]!.message).toMatch(
      /never sent a heartbeat/,
    );
  });

  it("is Critical when a resync is required, and says how to fix it", () => {
    const report = assessHealth({ ...healthy, resyncRequired: true });
    expect(report.health).toBe("Critical");
    expect(report.healthErrors[0]).toMatchObject({ code: "ResyncRequired", severity: "Critical" });
    expect(report.healthErrors[0]!.recommendedAction).toContain("StartResync");
  });

  it("warns when churn exceeds the supported limit", () => {
    expect(codes({ churnBytesPerSecond: 60_000_000 })).toEqual(["ChurnLimitExceeded"]);
  });

  it("warns when initial replication stalls for 30 minutes", () => {
    const seeding = {
      migrationState: "InitialSeedingInProgress" as const,
      lastRecoveryPointTime: undefined,
      replicatedUpToTime: undefined,
      initialSeedingProgress: 42,
    };
    expect(codes({ ...seeding, lastSeedingProgressTime: minutesAgo(10) })).toEqual([]);
    const report = assessHealth({ ...healthy, ...seeding, lastSeedingProgressTime: minutesAgo(45) });
    expect(report.healthErrors.map((e) => e.code)).toEqual(["InitialReplicationStalled"]);
    expect(report.healthErrors[0]!.message).toContain("42%");
  });

  it("does not blame a paused replication for falling behind", () => {
    expect(
      codes({ replicationPaused: true, replicatedUpToTime: minutesAgo(600), lastRecoveryPointTime: minutesAgo(600) }),
    ).toEqual([]);
    expect(codes({ replicationPaused: true, lastHeartbeatTime: minutesAgo(60) })).toEqual(["AgentHeartbeatLost"]);
  });

  it("has nothing to watch once the server is migrated", () => {
    expect(
      assessHealth({ ...healthy, migrationState: "MigrationSucceeded", lastHeartbeatTime: undefined }).health,
    ).toBe("Normal");
  });

  it("reports the agent's full state directory: Critical while replication stopped, Warning while it goes on", () => {
    const problem = {
      code: "AgentStateDiskFull" as const,
      message: "No space left in the agent's state directory /var/lib/ferry (12 KiB free, ENOSPC)",
      since: minutesAgo(3),
      replicationStopped: true,
    };
    const stopped = assessHealth({ ...healthy, agentProblems: [problem] });
    expect(stopped.health).toBe("Critical");
    expect(stopped.healthErrors).toEqual([
      {
        code: "AgentStateDiskFull",
        severity: "Critical",
        message: `${problem.message} (reported since 2025-01-01T11:57:00.000Z)`,
        recommendedAction: expect.stringMatching(/Free space .*FERRY_AGENT_BATCH_BYTES/),
      },
    ]);
    const slower = assessHealth({ ...healthy, agentProblems: [{ ...problem, replicationStopped: false }] });
    expect([slower.health, slower.healthErrors[0]?.severity]).toEqual(["Warning", "Warning"]);
    expect(codes({ agentProblems: [problem], replicationPaused: true })).toEqual([]);
  });

  it("gives every error a message, a recommended action and a severity", () => {
    const report = assessHealth({
      ...healthy,
      resyncRequired: true,
      lastHeartbeatTime: undefined,
      churnBytesPerSecond: 1e9,
      lastRecoveryPointTime: undefined,
      replicatedUpToTime: minutesAgo(200),
    });
    expect(report.healthErrors.map((e) => e.code).sort()).toEqual([
      "AgentHeartbeatLost",
      "ChurnLimitExceeded",
      "NoRecentRecoveryPoint",
      "ResyncRequired",
      "RpoThresholdExceeded",
    ]);
    for (const error of report.healthErrors) {
      expect(error.message.length).toBeGreaterThan(10);
      expect(error.recommendedAction.length).toBeGreaterThan(10);
    }
  });
});

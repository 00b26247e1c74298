import { describe, expect, it } from "vitest";
import {
  healthChanges,
  lagSecondsOf,
  sampleCutoff,
  sampleOf,
  type MetricSample,
} from "../../shared/domain/metricSeries";

const now = new Date("2026-03-01T12:00:00.000Z");

function sample(time: string, health: MetricSample["health"], healthErrors: MetricSample["healthErrors"] = []) {
  return { time, uploadBytesPerSecond: 0, backlogBytes: 0, health, healthErrors };
}

describe("metric samples", () => {
  it("take the grid's RPO, the agent's speed and backlog, and the lag between the newest point and the newest processed one", () => {
    const taken = sampleOf(
      {
        rpoSeconds: 42,
        lastRecoveryPointTime: "2026-03-01T11:59:30.000Z",
        lastProcessedPointTime: "2026-03-01T11:58:00.000Z",
        agentFigures: { bytesPerSecond: 5_000_000, backlogBytes: 123_456 },
        health: "Warning",
        healthErrors: [{ code: "RpoThresholdExceeded" }, { code: "ChurnLimitExceeded" }],
      },
      now,
    );
    expect(taken).toEqual({
      time: "2026-03-01T12:00:00.000Z",
      rpoSeconds: 42,
      lagSeconds: 90,
      uploadBytesPerSecond: 5_000_000,
      backlogBytes: 123_456,
      health: "Warning",
      healthErrors: ["ChurnLimitExceeded", "RpoThresholdExceeded"],
    });
  });

  it("leave RPO and lag out before there is a point, and count a silent agent as sending nothing", () => {
    expect(sampleOf({ health: "Normal", healthErrors: [] }, now)).toEqual({
      time: now.toISOString(),
      uploadBytesPerSecond: 0,
      backlogBytes: 0,
      health: "Normal",
      healthErrors: [],
    });
    expect(lagSecondsOf("2026-03-01T11:00:00Z", "2026-03-01T11:00:05Z")).toBe(0);
  });
});

describe("health history", () => {
  it("starts with the first sample's health and lists each change of health or of its errors, not repeats", () => {
    const samples = [
      sample("t1", "Normal"),
      sample("t2", "Normal"),
      sample("t3", "Warning", ["RpoThresholdExceeded"]),
      sample("t4", "Warning", ["RpoThresholdExceeded"]),
      sample("t5", "Warning", ["ProcessingLagExceeded"]),
      sample("t6", "Normal"),
    ];
    expect(healthChanges(samples).map((c) => [c.time, c.health, c.healthErrors.join()])).toEqual([
      ["t1", "Normal", ""],
      ["t3", "Warning", "RpoThresholdExceeded"],
      ["t5", "Warning", "ProcessingLagExceeded"],
      ["t6", "Normal", ""],
    ]);
    expect(healthChanges([])).toEqual([]);
  });
});

describe("sample retention", () => {
  it("keeps samples as long as the policy keeps recovery points, and at least one sampling period", () => {
    expect(sampleCutoff(now, 72, 60).toISOString()).toBe("2026-02-26T12:00:00.000Z");
    expect(sampleCutoff(now, 0, 60).toISOString()).toBe("2026-03-01T11:59:00.000Z");
  });
});

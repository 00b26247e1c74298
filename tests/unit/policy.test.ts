import { describe, expect, it } from "vitest";
import { defaultPolicy, validatePolicy, type ReplicationPolicySettings } from "../../shared/domain/policy";

function problemWith(change: Partial<ReplicationPolicySettings>) {
  const result = validatePolicy({ ...defaultPolicy, ...change });
  return result.ok
    ? undefined
    : { target: result.error.target, message: result.error.message, code: result.error.code };
}

describe("replication policy", () => {
  it("uses Site Recovery and Azure Migrate defaults that validate", () => {
    expect(defaultPolicy).toEqual({
      name: "default",
      rpoThresholdMinutes: 60,
      recoveryPointRetentionHours: 72,
      crashConsistentFrequencyMinutes: 5,
      appConsistentFrequencyMinutes: 240,
    });
    expect(validatePolicy(defaultPolicy).ok).toBe(true);
  });

  it("keeps recovery points for at most 15 days", () => {
    expect(problemWith({ recoveryPointRetentionHours: 360 })).toBeUndefined();
    expect(problemWith({ recoveryPointRetentionHours: 361 })).toMatchObject({
      code: "InvalidInput",
      target: "recoveryPointRetentionHours",
    });
  });

  it("accepts app-consistent frequency 0 (off) or 60-720 minutes only", () => {
    expect(problemWith({ appConsistentFrequencyMinutes: 0 })).toBeUndefined();
    expect(problemWith({ appConsistentFrequencyMinutes: 60 })).toBeUndefined();
    expect(problemWith({ appConsistentFrequencyMinutes: 720 })).toBeUndefined();
    expect(problemWith({ appConsistentFrequencyMinutes: 30 })?.target).toBe("appConsistentFrequencyMinutes");
    expect(problemWith({ appConsistentFrequencyMinutes: 721 })?.target).toBe("appConsistentFrequencyMinutes");
  });

  it("refuses app-consistent points that retention would prune before the next one", () => {
    expect(problemWith({ recoveryPointRetentionHours: 2, appConsistentFrequencyMinutes: 240 })?.message).toMatch(
      /must not exceed the recovery point retention/,
    );
    expect(problemWith({ recoveryPointRetentionHours: 0, appConsistentFrequencyMinutes: 0 })).toBeUndefined();
  });

  it("refuses an RPO threshold shorter than the crash-consistent cadence", () => {
    expect(problemWith({ rpoThresholdMinutes: 10, crashConsistentFrequencyMinutes: 15 })?.target).toBe(
      "rpoThresholdMinutes",
    );
  });

  it("refuses fractional minutes and out-of-range numbers", () => {
    expect(problemWith({ crashConsistentFrequencyMinutes: 2.5 })?.message).toMatch(/whole number/);
    expect(problemWith({ crashConsistentFrequencyMinutes: 0 })?.target).toBe("crashConsistentFrequencyMinutes");
    expect(problemWith({ rpoThresholdMinutes: 1441 })?.target).toBe("rpoThresholdMinutes");
  });

  it("refuses names with characters unsafe in keys", () => {
    expect(problemWith({ name: "a/b" })?.target).toBe("name");
    expect(problemWith({ name: "it's" })?.target).toBe("name");
    expect(problemWith({ name: "gold-tier_1.0" })).toBeUndefined();
  });
});

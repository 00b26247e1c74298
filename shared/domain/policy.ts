import { errors } from "./errors";
import { fail, ok, type Result } from "./result";

/**
 * A replication policy, as in Site Recovery / Azure Migrate agent-based replication.
 * The RPO threshold raises an alert; it is not a promise.
 */
export interface ReplicationPolicySettings {
  readonly name: string;
  readonly rpoThresholdMinutes: number;
  /** How long recovery points are kept; 0 keeps only the newest point. */
  readonly recoveryPointRetentionHours: number;
  readonly crashConsistentFrequencyMinutes: number;
  /** 0 turns app-consistent points off. */
  readonly appConsistentFrequencyMinutes: number;
}

/** Ranges. Retention and app-consistent frequency are Site Recovery's documented bounds (15 days; 1-12 h). */
export const policyLimits = {
  name: { minLength: 1, maxLength: 64, pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/ },
  rpoThresholdMinutes: { min: 5, max: 1440 },
  recoveryPointRetentionHours: { min: 0, max: 360 },
  // Site Recovery makes a crash-consistent point every 5 minutes; Ferry lets labs go down to 1.
  crashConsistentFrequencyMinutes: { min: 1, max: 60 },
  appConsistentFrequencyMinutes: { off: 0, min: 60, max: 720 },
} as const;

/**
 * Defaults: RPO threshold 60 min (Site Recovery), 72 h retention and app-consistent every 4 h
 * (Azure Migrate's own policy: 4320 and 240 minutes), crash-consistent every 5 min (Site Recovery).
 */
export const defaultPolicy: ReplicationPolicySettings = {
  name: "default",
  rpoThresholdMinutes: 60,
  recoveryPointRetentionHours: 72,
  crashConsistentFrequencyMinutes: 5,
  appConsistentFrequencyMinutes: 240,
};

type NumericField = Exclude<keyof ReplicationPolicySettings, "name">;

function rangeProblem(
  policy: ReplicationPolicySettings,
  field: NumericField,
  min: number,
  max: number,
): string | undefined {
  const value = policy[field];
  if (!Number.isInteger(value)) return `${field} must be a whole number.`;
  if (value < min || value > max) return `${field} must be between ${min} and ${max} (got ${value}).`;
  return undefined;
}

function appConsistentProblem(policy: ReplicationPolicySettings): string | undefined {
  const { off, min, max } = policyLimits.appConsistentFrequencyMinutes;
  const value = policy.appConsistentFrequencyMinutes;
  if (!Number.isInteger(value)) return "appConsistentFrequencyMinutes must be a whole number.";
  if (value !== off && (value < min || value > max)) {
    return `appConsistentFrequencyMinutes must be 0 (off) or between ${min} and ${max} (got ${value}).`;
  }
  // An app-consistent point that retention prunes before the next one arrives is never choosable.
  if (value !== off && value > policy.recoveryPointRetentionHours * 60) {
    return (
      `appConsistentFrequencyMinutes (${value}) must not exceed ` +
      `the recovery point retention (${policy.recoveryPointRetentionHours} h).`
    );
  }
  return undefined;
}

/** Field-by-field checks, then the ones that relate fields; the first problem wins. */
function policyProblem(policy: ReplicationPolicySettings): { field: string; message: string } | undefined {
  if (!policyLimits.name.pattern.test(policy.name)) {
    return {
      field: "name",
      message: "name must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.",
    };
  }
  const numeric: NumericField[] = [
    "rpoThresholdMinutes",
    "recoveryPointRetentionHours",
    "crashConsistentFrequencyMinutes",
  ];
  for (const field of numeric) {
    const limits = policyLimits[field];
    const message = rangeProblem(policy, field, limits.min, limits.max);
    if (message !== undefined) return { field, message };
  }
  const appMessage = appConsistentProblem(policy);
  if (appMessage !== undefined) return { field: "appConsistentFrequencyMinutes", message: appMessage };
  // A threshold shorter than the point cadence would alert all the time.
  if (policy.rpoThresholdMinutes < policy.crashConsistentFrequencyMinutes) {
    return {
      field: "rpoThresholdMinutes",
      message: "rpoThresholdMinutes must be at least crashConsistentFrequencyMinutes.",
    };
  }
  return undefined;
}

export function validatePolicy(policy: ReplicationPolicySettings): Result<ReplicationPolicySettings> {
  const problem = policyProblem(policy);
  return problem === undefined ? ok(policy) : fail(errors.invalidInput(problem.message, problem.field));
}

// The vocabulary of health: its states and the errors an item can show (the rules are in health.ts).
export const healthStates = ["Normal", "Warning", "Critical"] as const;
export type HealthState = (typeof healthStates)[number];
export type HealthSeverity = Exclude<HealthState, "Normal">;

export const healthErrorCodes = [
  "RpoThresholdExceeded",
  "NoRecentRecoveryPoint",
  "AgentHeartbeatLost",
  "ResyncRequired",
  "ChurnLimitExceeded",
  "InitialReplicationStalled",
  "ProcessingLagExceeded",
  "AgentCloned",
  "AgentStateDiskFull",
] as const;
export type HealthErrorCode = (typeof healthErrorCodes)[number];

export interface HealthError {
  readonly code: HealthErrorCode;
  readonly message: string;
  readonly recommendedAction: string;
  readonly severity: HealthSeverity;
}

import { agentProblemError, type AgentProblem } from "./agentProblems";
import type { MigrationState } from "./itemState";
import type { HealthError, HealthState } from "./healthErrors";

export { healthErrorCodes, healthStates } from "./healthErrors";
export type { HealthError, HealthErrorCode, HealthSeverity, HealthState } from "./healthErrors";

/** Replication health of an item, computed from figures the timers gather; pure so it is tested by value. */
export interface HealthFigures {
  readonly now: Date;
  readonly migrationState: MigrationState;
  readonly replicationPaused: boolean;
  readonly resyncRequired: boolean;
  readonly rpoThresholdMinutes: number;
  readonly lastHeartbeatTime?: Date;
  /** When the item was created: an agent never heard is given the same grace from then. */
  readonly watchedSince?: Date;
  readonly lastRecoveryPointTime?: Date;
  /** Source time of the newest point whose batches are applied to the replica (processed). */
  readonly lastProcessedPointTime?: Date;
  /** Source time up to which changes are durable in Azure; RPO is measured from it when known. */
  readonly replicatedUpToTime?: Date;
  readonly churnBytesPerSecond?: number;
  /** Site Recovery supports 54 MB/s per VM; the caller passes the limit that applies. */
  readonly churnLimitBytesPerSecond?: number;
  readonly initialSeedingProgress?: number;
  readonly lastSeedingProgressTime?: Date;
  /** Another machine last refused for using this server's agent key, and when. */
  readonly clone?: { readonly host: string; readonly seenAt: Date };
  /** What the agent's last heartbeat reported about its own machine. */
  readonly agentProblems?: readonly AgentProblem[];
}

/** Thresholds. Heartbeats come every minute; silence for 15 is what Site Recovery calls unreachable. */
export const healthThresholds = {
  heartbeatLostMinutes: 15,
  seedingStalledMinutes: 30,
  noRecentPointFactor: 2,
} as const;

export interface HealthReport {
  readonly health: HealthState;
  readonly healthErrors: readonly HealthError[];
  /** Seconds between now and the newest replicated source state; undefined before there is one. */
  readonly rpoSeconds?: number;
}

const minutesSince = (now: Date, then: Date) => (now.getTime() - then.getTime()) / 60_000;
const rounded = (minutes: number) => `${Math.floor(minutes)} minutes`;

function heartbeatError(figures: HealthFigures): HealthError | undefined {
  const { now, lastHeartbeatTime, watchedSince } = figures;
  const heardOrWatched = lastHeartbeatTime ?? watchedSince;
  const silent = heardOrWatched === undefined ? Infinity : minutesSince(now, heardOrWatched);
  if (silent <= healthThresholds.heartbeatLostMinutes) return undefined;
  return {
    code: "AgentHeartbeatLost",
    severity: "Critical",
    message:
      lastHeartbeatTime === undefined
        ? "The agent has never sent a heartbeat."
        : `The agent's last heartbeat was ${rounded(silent)} ago.`,
    recommendedAction:
      "Check that the source server is running, that the Ferry agent service runs on it, " +
      "and that it can reach the Ferry endpoint.",
  };
}

function rpoErrors(figures: HealthFigures, rpoMinutes: number | undefined): HealthError[] {
  const { now, lastRecoveryPointTime, rpoThresholdMinutes } = figures;
  const found: HealthError[] = [];
  if (rpoMinutes !== undefined && rpoMinutes > rpoThresholdMinutes) {
    found.push({
      code: "RpoThresholdExceeded",
      severity: "Warning",
      message: `The RPO is ${rounded(rpoMinutes)}, above the policy's threshold of ${rpoThresholdMinutes} minutes.`,
      recommendedAction: "Check the source's network bandwidth and change rate, and whether the agent is throttled.",
    });
  }
  const pointAge = lastRecoveryPointTime === undefined ? Infinity : minutesSince(now, lastRecoveryPointTime);
  if (pointAge > rpoThresholdMinutes * healthThresholds.noRecentPointFactor) {
    found.push({
      code: "NoRecentRecoveryPoint",
      severity: "Critical",
      message:
        lastRecoveryPointTime === undefined
          ? "The item has no recovery point."
          : `The newest recovery point is ${rounded(pointAge)} old.`,
      recommendedAction:
        "Check the agent and the recovery-point timer in the host log; " +
        "a failover now would lose the changes since that point.",
    });
  }
  return found;
}

/** Points are recorded, but the replica applies them late: a failover from the newest would wait for it. */
function processingError(figures: HealthFigures): HealthError | undefined {
  const { lastRecoveryPointTime, lastProcessedPointTime, rpoThresholdMinutes } = figures;
  if (lastRecoveryPointTime === undefined || lastProcessedPointTime === undefined) return undefined;
  const lag = minutesSince(lastRecoveryPointTime, lastProcessedPointTime);
  if (lag <= rpoThresholdMinutes) return undefined;
  return {
    code: "ProcessingLagExceeded",
    severity: "Warning",
    message: `The newest processed recovery point is ${rounded(lag)} older than the newest recovery point.`,
    recommendedAction:
      "Storage applies changes more slowly than they arrive: " +
      "lower the source's change rate or give the replica's storage more throughput. " +
      "A failover from the newest point waits for them.",
  };
}

function seedingError(figures: HealthFigures): HealthError | undefined {
  const { now, lastSeedingProgressTime } = figures;
  const still = lastSeedingProgressTime === undefined ? 0 : minutesSince(now, lastSeedingProgressTime);
  if (still <= healthThresholds.seedingStalledMinutes) return undefined;
  const progress = figures.initialSeedingProgress ?? 0;
  return {
    code: "InitialReplicationStalled",
    severity: "Warning",
    message: `Initial replication has not progressed for ${rounded(still)} (at ${progress}%).`,
    recommendedAction: "Check that the agent is running and can reach Ferry, and the host log for refused uploads.",
  };
}

function churnError(figures: HealthFigures): HealthError | undefined {
  const { churnBytesPerSecond, churnLimitBytesPerSecond } = figures;
  if (
    churnBytesPerSecond === undefined ||
    churnLimitBytesPerSecond === undefined ||
    churnBytesPerSecond <= churnLimitBytesPerSecond
  ) {
    return undefined;
  }
  const mb = (bytes: number) => (bytes / 1_000_000).toFixed(1);
  return {
    code: "ChurnLimitExceeded",
    severity: "Warning",
    message:
      `The source changes ${mb(churnBytesPerSecond)} MB/s, ` +
      `above the supported ${mb(churnLimitBytesPerSecond)} MB/s; the RPO will grow.`,
    recommendedAction:
      "Exclude disks with temporary data (page file, tempdb) from replication, " +
      "or move the heavy writer off the server.",
  };
}

/** A copy of the source uses its agent key; shown until the copy has been quiet as long as a lost heartbeat. */
function cloneError(figures: HealthFigures): HealthError | undefined {
  const { now, clone } = figures;
  if (!clone || minutesSince(now, clone.seenAt) > healthThresholds.heartbeatLostMinutes) return undefined;
  return {
    code: "AgentCloned",
    severity: "Critical",
    message:
      `Another machine (host '${clone.host}') uses this server's agent key: a copy of it, such as a cloned VM ` +
      "or a copied agent state directory. Its requests are refused; this server's own still replicate.",
    recommendedAction:
      "On the copy, stop the Ferry agent and delete its state directory; register it as a machine of its own " +
      "if it should replicate too. The error clears 15 minutes after the copy's last refused request.",
  };
}

const resyncError: HealthError = {
  code: "ResyncRequired",
  severity: "Critical",
  message:
    "The replica no longer matches the source; new recovery points cannot be trusted until it is resynchronized.",
  recommendedAction: "Run StartResync (POST .../resync) on the replicating server.",
};

function rpoMinutesOf(figures: HealthFigures): number | undefined {
  const upTo = figures.replicatedUpToTime ?? figures.lastRecoveryPointTime;
  return upTo === undefined ? undefined : Math.max(0, minutesSince(figures.now, upTo));
}

/** The item's health: the errors found, and the worst of their severities. */
export function assessHealth(figures: HealthFigures): HealthReport {
  const rpoMinutes = rpoMinutesOf(figures);
  const rpoSeconds = rpoMinutes === undefined ? undefined : Math.floor(rpoMinutes * 60);
  const seeding = figures.migrationState === "InitialSeedingInProgress";
  // Health describes replication; once migrated, removed or never started there is nothing to watch.
  const rpo = rpoSeconds === undefined ? {} : { rpoSeconds };
  if (!seeding && figures.migrationState !== "Replicating") return { health: "Normal", healthErrors: [], ...rpo };
  const found: (HealthError | undefined)[] = [heartbeatError(figures), cloneError(figures)];
  if (figures.resyncRequired) found.push(resyncError);
  if (!figures.replicationPaused) {
    // A paused replication is expected to fall behind; only the agent's silence still matters.
    // Its own problems too wait for the resume: a paused agent spools nothing, so cannot tell they ended.
    found.push(churnError(figures), ...(figures.agentProblems ?? []).map(agentProblemError));
    if (seeding) found.push(seedingError(figures));
    else found.push(...rpoErrors(figures, rpoMinutes), processingError(figures));
  }
  const healthErrors = found.filter((error): error is HealthError => error !== undefined);
  const health = healthErrors.some((e) => e.severity === "Critical")
    ? "Critical"
    : healthErrors.length > 0
      ? "Warning"
      : "Normal";
  return { health, healthErrors, ...rpo };
}

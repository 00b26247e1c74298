/**
 * The health of one item from its row: every figure assessHealth reads comes from what the
 * data path records (heartbeats, ingest, cycles), so the grid is live without a timer.
 */
import type { AgentProblem } from "../domain/agentProblems";
import { worstChurn } from "../domain/churn";
import { estimateFinalSyncSeconds } from "../domain/finalSyncEstimate";
import { assessHealth, type HealthReport } from "../domain/health";
import { columns } from "../storage/columns";
import type { ItemRow } from "../storage/rows";
import { itemState, type ItemDisk } from "./itemRow";

/** The agent's last figures, as the heartbeat stored them. */
export interface AgentFigures {
  bytesSent: number;
  bytesPerSecond: number;
  backlogBytes: number;
}

const date = (text?: string) => (text ? new Date(text) : undefined);

function cloneOf(row: ItemRow): { clone?: { host: string; seenAt: Date } } {
  if (!row.agentClone) return {};
  const { host, seenAt } = columns.itemAgentClone.parse(row.agentClone);
  return { clone: { host, seenAt: new Date(seenAt) } };
}

export function itemHealth(row: ItemRow, rpoThresholdMinutes: number, now: Date): HealthReport {
  const state = itemState(row);
  const disks = columns.itemDisks.parse(row.disks).filter((disk) => disk.include);
  const churn = worstChurn(
    disks.flatMap((disk) => (disk.churnBytesPerSecond === undefined ? [] : [disk.churnBytesPerSecond])),
  );
  return assessHealth({
    now,
    migrationState: state.migrationState,
    replicationPaused: state.replicationPaused,
    resyncRequired: state.resyncRequired,
    rpoThresholdMinutes,
    lastHeartbeatTime: date(row.lastHeartbeatTime),
    watchedSince: date(row.createdAt),
    lastRecoveryPointTime: date(row.lastRecoveryPointTime),
    lastProcessedPointTime: date(row.lastProcessedPointTime),
    initialSeedingProgress: row.initialSeedingProgress,
    // Stalled means no data for a while, measured from the last batch (or from the start while none came).
    lastSeedingProgressTime: date(row.lastProgressTime ?? row.replicationStartedAt ?? row.createdAt),
    ...cloneOf(row),
    ...(churn ?? {}),
    agentProblems: agentProblemsOf(row),
  });
}

function agentProblemsOf(row: ItemRow): AgentProblem[] {
  if (!row.agentProblems) return [];
  return columns.itemAgentProblems
    .parse(row.agentProblems)
    .map((problem) => ({ ...problem, since: new Date(problem.since) }));
}

/** The agent's reported figures, whichever shape the row holds (older rows kept the whole heartbeat). */
export function agentFiguresOf(row: ItemRow): AgentFigures | undefined {
  if (!row.agentFigures) return undefined;
  return columns.itemAgentFigures.parse(row.agentFigures).figures;
}

/** A disk row of the grid: the figures operators read, not the bookkeeping behind them. */
export function diskView(disk: ItemDisk) {
  const { bytesAtLastPoint: _baseline, ...shown } = disk;
  return shown;
}

/** The final sync's estimate from the row's figures (domain/finalSyncEstimate.ts); undefined unless Replicating. */
export function finalSyncEstimateOf(row: ItemRow, cycleIntervalSeconds: number, now: Date): number | undefined {
  if (row.migrationState !== "Replicating") return undefined;
  const disks = columns.itemDisks.parse(row.disks).filter((disk) => disk.include);
  const figures = agentFiguresOf(row);
  const diskSpeed = disks.reduce((sum, disk) => sum + disk.uploadBytesPerSecond, 0);
  const since = row.lastRecoveryPointTime ? (now.getTime() - Date.parse(row.lastRecoveryPointTime)) / 1000 : 0;
  return estimateFinalSyncSeconds({
    backlogBytes: figures?.backlogBytes ?? 0,
    churnBytesPerSecond: disks.reduce((sum, disk) => sum + (disk.churnBytesPerSecond ?? 0), 0),
    uploadBytesPerSecond: figures?.bytesPerSecond || diskSpeed,
    secondsSinceLastPoint: Math.min(since, cycleIntervalSeconds),
  });
}

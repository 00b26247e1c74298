/**
 * The health of one item from its row: every figure assessHealth reads comes from what the
 * data path records (heartbeats, ingest, cycles), so the grid is live without a timer.
 */
import type { AgentProblem } from "../domain/agentProblems";
import { worstChurn } from "../domain/churn";
import { assessHealth, type HealthReport } from "../domain/health";
import type { ItemRow } from "../storage/rows";
import { itemState, type ItemDisk } from "./itemRow";

/** The agent's last figures, as the heartbeat stored them. */
export interface AgentFigures {
  bytesSent: number;
  bytesPerSecond: number;
  backlogBytes: number;
}

const date = (text?: string) => (text ? new Date(text) : undefined);

export function itemHealth(row: ItemRow, rpoThresholdMinutes: number, now: Date): HealthReport {
  const state = itemState(row);
  const disks = (JSON.parse(row.disks) as ItemDisk[]).filter((disk) => disk.include);
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
    lastRecoveryPointTime: date(row.lastRecoveryPointTime),
    lastProcessedPointTime: date(row.lastProcessedPointTime),
    initialSeedingProgress: row.initialSeedingProgress,
    // Stalled means no data for a while, measured from the last batch (or from the start while none came).
    lastSeedingProgressTime: date(row.lastProgressTime ?? row.replicationStartedAt ?? row.createdAt),
    ...(churn ?? {}),
    agentProblems: agentProblemsOf(row),
  });
}

function agentProblemsOf(row: ItemRow): AgentProblem[] {
  if (!row.agentProblems) return [];
  const stored = JSON.parse(row.agentProblems) as (Omit<AgentProblem, "since"> & { since: string })[];
  return stored.map((problem) => ({ ...problem, since: new Date(problem.since) }));
}

/** The agent's reported figures, whichever shape the row holds (older rows kept the whole heartbeat). */
export function agentFiguresOf(row: ItemRow): AgentFigures | undefined {
  if (!row.agentFigures) return undefined;
  const parsed = JSON.parse(row.agentFigures) as { figures?: AgentFigures };
  return parsed.figures;
}

/** A disk row of the grid: the figures operators read, not the bookkeeping behind them. */
export function diskView(disk: ItemDisk) {
  const { bytesAtLastPoint: _baseline, ...shown } = disk;
  return shown;
}

/**
 * How long a migration's final sync should take, for the downtime budget: after the source shuts
 * down, the agent sends what it has not sent yet (its backlog, plus what changed since its last
 * cycle) at its recent upload speed, and ends with one final cycle.
 */

/** The shutdown command, the agent hearing FinalSync at its next heartbeat, and the final cycle itself. */
export const finalSyncOverheadSeconds = 15;

export interface FinalSyncFigures {
  /** Bytes the agent reported still to send. */
  readonly backlogBytes: number;
  /** The source's recent change rate, summed over its replicated disks. */
  readonly churnBytesPerSecond: number;
  /** The recent upload speed: the agent's figure, or the disks' own when it reported none. */
  readonly uploadBytesPerSecond: number;
  /** Source time since the last recovery point, bounded by the cycle interval (changes are cut per cycle). */
  readonly secondsSinceLastPoint: number;
}

/** Seconds; undefined while there is something to send and no upload speed to send it at. */
export function estimateFinalSyncSeconds(figures: FinalSyncFigures): number | undefined {
  const unsent = figures.backlogBytes + figures.churnBytesPerSecond * Math.max(0, figures.secondsSinceLastPoint);
  if (unsent <= 0) return finalSyncOverheadSeconds;
  if (figures.uploadBytesPerSecond <= 0) return undefined;
  return Math.ceil(finalSyncOverheadSeconds + unsent / figures.uploadBytesPerSecond);
}

export interface DowntimeEstimate {
  readonly itemId: string;
  readonly name: string;
  /** Null: no estimate yet (no upload speed measured while there is data to send). */
  readonly estimatedFinalSyncSeconds: number | null;
}

/** The items whose final sync would not fit the budget; an item without an estimate cannot promise to. */
export function overBudget(estimates: readonly DowntimeEstimate[], maxDowntimeSeconds: number): DowntimeEstimate[] {
  return estimates.filter(
    (e) => e.estimatedFinalSyncSeconds === null || e.estimatedFinalSyncSeconds > maxDowntimeSeconds,
  );
}

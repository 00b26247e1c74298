import type { ItemState } from "./itemState";

/**
 * What the process server tells an agent on each heartbeat. Pure: the item's state (and, for
 * later lifecycle jobs, an explicit override) decides the action; the policy decides cadences.
 */
export const agentActions = ["Idle", "Replicate", "Pause", "FinalSync", "Stop"] as const;
export type AgentAction = (typeof agentActions)[number];

export const diskModes = ["Initial", "Delta", "Resync"] as const;
export type DiskMode = (typeof diskModes)[number];

/**
 * The action for an item. `override` is the hook lifecycle jobs use (a migration asks for
 * FinalSync, removing replication asks for Stop); it wins while the item still exists.
 */
export function agentAction(item: ItemState | undefined, override?: AgentAction): AgentAction {
  if (item === undefined) return "Idle";
  if (override !== undefined) return override;
  const flowing = item.migrationState === "InitialSeedingInProgress" || item.migrationState === "Replicating";
  if (!flowing) return item.migrationState === "MigrationSucceeded" ? "Stop" : "Idle";
  return item.replicationPaused ? "Pause" : "Replicate";
}

/**
 * Whether a batch or a cycle may change the replica now: while replicating, and during a
 * migration's final sync. Paused items refuse.
 */
export function acceptsData(item: ItemState, override?: AgentAction): boolean {
  const action = agentAction(item, override);
  return action === "Replicate" || action === "FinalSync";
}

/** A disk copies everything until its initial copy completes; a resync re-reads everything too. */
export function diskMode(initialCopyComplete: boolean, item: ItemState): DiskMode {
  if (!initialCopyComplete) return "Initial";
  return item.resyncInProgress ? "Resync" : "Delta";
}

/** Initial-replication percentage from bytes covered per disk; 100 only once the copy is declared complete. */
export function seedingProgress(
  disks: readonly { sizeBytes: number; coveredBytes: number }[],
  complete: boolean,
): number {
  if (complete) return 100;
  const total = disks.reduce((sum, d) => sum + d.sizeBytes, 0);
  if (total === 0) return 0;
  const covered = disks.reduce((sum, d) => sum + Math.min(d.coveredBytes, d.sizeBytes), 0);
  return Math.min(99, Math.floor((covered / total) * 100));
}

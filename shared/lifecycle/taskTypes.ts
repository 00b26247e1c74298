/**
 * The words every lifecycle file shares: the job a task runs for, the work behind a task, and a
 * task's wait for something outside. Imports nothing of lifecycle, so everything else builds on it.
 */
import type { ControlPlaneDeps } from "../controlPlane/deps";
import type { RecoveryPointChoice } from "../domain/recoveryPoints";

/** What an operator asked for when starting an operation; the job's tasks read it. */
export interface OperationParameters {
  network?: string;
  subnet?: string;
  recoveryPoint?: RecoveryPointChoice;
  shutdownSource?: boolean;
  recoveryPointId?: string;
  /** How long a migration waits for the agent's shutdown and final changes. */
  finalSyncTimeoutSeconds?: number;
  /** The recovery plan's job this item operation runs for (it holds the item meanwhile). */
  planJobId?: string;
}

export interface JobRef {
  projectId: string;
  jobId: string;
  itemId: string;
  parameters?: OperationParameters;
}

/** A task that must wait for something outside (the agent's final changes) before it can finish. */
export interface TaskWait {
  wait: { event: string; timeoutSeconds: number };
}

/** How a waiting task was woken: the event's payload, or the time-out. */
export interface TaskResume {
  event?: unknown;
  timedOut?: boolean;
}

/**
 * The work behind one task; it may run more than once (activities are at-least-once), so it
 * is idempotent. Returns a note for the job, or a wait (the task is then run again with `resumed`).
 */
export type TaskWork = (
  deps: ControlPlaneDeps,
  job: JobRef & { resumed?: TaskResume },
) => Promise<string | undefined | TaskWait>;

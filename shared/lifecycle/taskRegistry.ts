/**
 * Operation → what its job runs: the work behind each of its tasks, what a cancel undoes (its
 * compensation) and what a failure undoes so that a retry starts clean. Only the job runner reads it.
 */
import type { ControlPlaneDeps } from "../controlPlane/deps";
import type { JobOperation } from "../domain/jobTasks";
import type { JobRef, TaskWork } from "./taskTypes";
import { disableTasks } from "./tasks/disable";
import { enableTasks } from "./tasks/enable";
import { migrateTasks, undoMigration } from "./tasks/migrate";
import { pauseTasks, resumeTasks, resyncTasks } from "./tasks/replicationControl";
import { testMigrateTasks } from "./tasks/testMigrate";
import { removeTestVm, testMigrateCleanupTasks } from "./tasks/testMigrateCleanup";
import { verifyTasks } from "./tasks/verify";

/** Undoes what a job made; idempotent. */
export type Compensation = (deps: ControlPlaneDeps, job: JobRef) => Promise<void>;

export interface OperationWork {
  tasks: Record<string, TaskWork>;
  /** What a cancelled job undoes. Operations without one made nothing to undo. */
  compensation?: Compensation;
  /** What a failed job undoes so that a retry starts clean. */
  failureCleanup?: Compensation;
}

/** Operations without an entry here cannot run yet. */
export const taskRegistry: Partial<Record<JobOperation, OperationWork>> = {
  EnableMigration: { tasks: enableTasks },
  PauseReplication: { tasks: pauseTasks },
  ResumeReplication: { tasks: resumeTasks },
  StartResync: { tasks: resyncTasks },
  DisableMigration: { tasks: disableTasks },
  VerifyRecoveryPoint: { tasks: verifyTasks },
  TestMigrate: { tasks: testMigrateTasks, compensation: removeTestVm },
  TestMigrateCleanup: { tasks: testMigrateCleanupTasks },
  // A failed migration leaves no VM, no pinned point and no FinalSync instruction, so the retry's own
  // final point is the one used.
  Migrate: { tasks: migrateTasks, compensation: undoMigration, failureCleanup: undoMigration },
};

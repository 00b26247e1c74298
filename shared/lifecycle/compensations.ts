import type { ControlPlaneDeps } from "../controlPlane/deps";
import { getJob } from "../controlPlane/jobStore";
import type { JobOperation } from "../domain/jobTasks";
import { undoMigration } from "./tasks/migrate";
import { removeTestVm } from "./tasks/testMigrate";
import type { JobRef } from "./taskRegistry";

/** Undoes what a cancelled job made; idempotent. Operations without an entry made nothing to undo. */
export type Compensation = (deps: ControlPlaneDeps, job: JobRef) => Promise<void>;

export const compensations: Partial<Record<JobOperation, Compensation>> = {
  TestMigrate: removeTestVm,
  Migrate: undoMigration,
};

export async function compensate(deps: ControlPlaneDeps, ref: JobRef): Promise<void> {
  const job = await getJob(deps, ref.projectId, ref.jobId);
  await compensations[job.operation]?.(deps, ref);
}

/**
 * What a failed job undoes so that a retry starts clean: a failed migration leaves no VM, no
 * pinned point and no FinalSync instruction, so the retry's own final point is the one used.
 */
export const failureCleanups: Partial<Record<JobOperation, Compensation>> = {
  Migrate: undoMigration,
};

export async function cleanUpFailure(deps: ControlPlaneDeps, ref: JobRef): Promise<void> {
  const job = await getJob(deps, ref.projectId, ref.jobId);
  await failureCleanups[job.operation]?.(deps, ref);
}

import type { ControlPlaneDeps } from "../controlPlane/deps";
import { getJob } from "../controlPlane/jobStore";
import type { JobOperation } from "../domain/jobTasks";
import { undoMigration } from "./failover/migrateTasks";
import { removeTestVm } from "./failover/testMigrateTasks";
import type { JobRef } from "./taskWork";

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

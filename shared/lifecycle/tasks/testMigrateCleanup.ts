import type { ControlPlaneDeps } from "../../controlPlane/deps";
import { changeItem, getItemRow } from "../../controlPlane/items";
import { taskNames } from "../../domain/jobTasks";
import { unpinRecoveryPoint } from "../../replication/store";
import { failoverDeps } from "../failover/deps";
import type { JobRef, TaskWork } from "../taskTypes";

/** Removes the test VM and releases its point (what a cancelled test migration undoes too); what is gone is fine. */
export async function removeTestVm(deps: ControlPlaneDeps, job: JobRef): Promise<void> {
  const row = await getItemRow(deps, job.projectId, job.itemId);
  if (row.testVmId) await failoverDeps(deps).targets.deleteVirtualMachine(job.projectId, row.testVmId);
  if (row.testPointId) await unpinAll(deps, job.itemId, row.testPointId);
  await changeItem(deps, job.projectId, job.itemId, (r) =>
    r.testVmId || r.testPointId ? { ...r, testVmId: undefined, testPointId: undefined } : undefined,
  );
}

/** Releases every job's pin of a point held for the item's test migration. */
async function unpinAll(deps: ControlPlaneDeps, itemId: string, pointId: string): Promise<void> {
  const point = await deps.stores.recoveryPoints.get(itemId, pointId);
  if (!point) return;
  for (const jobId of JSON.parse(point.value.pins) as string[]) await unpinRecoveryPoint(deps, itemId, pointId, jobId);
}

const [cleanupCheck, deleteVm, release, provider] = taskNames.testMigrateCleanup;

/** Test migration cleanup: the test VM and its disks go, every recovery point stays, test migrate is allowed again. */
export const testMigrateCleanupTasks: Record<string, TaskWork> = {
  [cleanupCheck]: async (deps, job) => {
    await getItemRow(deps, job.projectId, job.itemId);
    return undefined;
  },
  [deleteVm]: async (deps, job) => {
    const row = await getItemRow(deps, job.projectId, job.itemId);
    if (row.testVmId) await failoverDeps(deps).targets.deleteVirtualMachine(job.projectId, row.testVmId);
    return row.testVmId
      ? `Deleted ${row.testVmId} and its disks.`
      : "There was no test virtual machine left to delete.";
  },
  [release]: async (deps, job) => {
    await removeTestVm(deps, job);
    return undefined;
  },
  [provider]: async () => undefined,
};

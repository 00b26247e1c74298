import { changeItem, getItemRow, type ItemTarget } from "../../controlPlane/items";
import { taskNames } from "../../domain/jobTasks";
import { getPoint, unpinRecoveryPoint } from "../../replication/store";
import type { ControlPlaneDeps } from "../../controlPlane/deps";
import type { JobRef, TaskWork } from "../taskRegistry";
import { choosePoint, describePoint } from "../failover/choosePoint";
import { failoverDeps } from "../failover/deps";
import { createVmFromPoint, vmIdFor } from "../failover/materialize";

const [prerequisites, createVm, prepare, start] = taskNames.testMigrate;

/** Test migration: a `<name>-Test` VM from a pinned point, in the network asked for; the source is never touched. */
export const testMigrateTasks: Record<string, TaskWork> = {
  [prerequisites]: async (deps, job) => {
    const point = await choosePoint(failoverDeps(deps), job, job.parameters?.recoveryPoint ?? "LatestProcessed");
    await changeItem(deps, job.projectId, job.itemId, (row) =>
      row.testPointId === point.id ? undefined : { ...row, testPointId: point.id },
    );
    return describePoint(point);
  },
  [createVm]: async (deps, job) => {
    const row = await getItemRow(deps, job.projectId, job.itemId);
    const point = await getPoint(deps, job.projectId, job.itemId, row.testPointId ?? "");
    // The VM id goes on the item before the VM exists, so a cleanup always knows what to remove.
    await changeItem(deps, job.projectId, job.itemId, (r) =>
      r.testVmId === vmIdFor(job.jobId) ? undefined : { ...r, testVmId: vmIdFor(job.jobId) },
    );
    const target = JSON.parse(row.target) as ItemTarget;
    const vmId = await createVmFromPoint(failoverDeps(deps), job, point, {
      test: true,
      network: job.parameters?.network ?? target.network,
      subnet: job.parameters?.subnet,
    });
    return `Created ${target.vmName}-Test (${vmId}) in network ${job.parameters?.network}.`;
  },
  [prepare]: async () => undefined,
  [start]: async () => "The test virtual machine is running.",
};

/** Removes the test VM and releases its point; what is already gone is fine. */
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

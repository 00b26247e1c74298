import { changeItem, getItemRow, type ItemTarget } from "../../controlPlane/items";
import { taskNames } from "../../domain/jobTasks";
import { getPoint } from "../../replication/store";
import { choosePoint, describePoint } from "../failover/choosePoint";
import { failoverDeps } from "../failover/deps";
import { createVmFromPoint, vmIdFor } from "../failover/materialize";
import type { TaskWork } from "../taskTypes";

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

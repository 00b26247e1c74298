import type { ControlPlaneDeps } from "../../controlPlane/deps";
import { changeItem, getItemRow, type ItemTarget } from "../../controlPlane/items";
import { taskNames } from "../../domain/jobTasks";
import { getPoint, pinRecoveryPoint, unpinRecoveryPoint } from "../../replication/store";
import { checkChosenPoint } from "../failover/checkPoint";
import { choosePoint, describePoint } from "../failover/choosePoint";
import { failoverDeps } from "../failover/deps";
import { createVmFromPoint, vmIdFor } from "../failover/materialize";
import { askForFinalSync, concludeFinalSync } from "../finalSync";
import type { JobRef, TaskWork } from "../taskTypes";

const [check, shutdown, sync, failover, startVm, provider] = taskNames.migrate;

/** Asks the agent for its final changes and waits (bounded) for the final recovery point (`finalSync.ts`). */
const shutdownTask: TaskWork = async (deps, job) =>
  job.resumed ? concludeFinalSync(deps, job, job.resumed) : askForFinalSync(deps, job);

/**
 * The point to fail over from: the operator's choice, else the final point, else the newest one;
 * pinned. (Batches after the final point are refused: `finalSync.ts`.)
 */
const syncTask: TaskWork = async (deps, job) => {
  const row = await getItemRow(deps, job.projectId, job.itemId);
  const fd = failoverDeps(deps);
  const useFinal = job.parameters?.recoveryPoint === undefined && row.migratePointId !== undefined;
  // choosePoint pins what it chooses; the final point arrived unpinned.
  const chosen = useFinal
    ? await getPoint(fd, job.projectId, job.itemId, row.migratePointId ?? "")
    : await choosePoint(fd, job, job.parameters?.recoveryPoint ?? "LatestProcessed");
  if (useFinal) await pinRecoveryPoint(deps, job.itemId, chosen.id, job.jobId);
  await changeItem(deps, job.projectId, job.itemId, (r) =>
    r.migratePointId === chosen.id && r.agentAction === "FinalSync" ? undefined : { ...r, migratePointId: chosen.id },
  );
  return describePoint(chosen);
};

export const migrateTasks: Record<string, TaskWork> = {
  [check]: async (deps, job) => {
    await getItemRow(deps, job.projectId, job.itemId);
    // Checked at the request too; again before the source is shut down, in case the point went since.
    if (job.parameters?.recoveryPoint !== undefined)
      await checkChosenPoint(deps, job.projectId, job.itemId, job.parameters.recoveryPoint);
    return job.parameters?.shutdownSource === false
      ? "The source keeps running: no shutdown, no final synchronization."
      : undefined;
  },
  [shutdown]: shutdownTask,
  [sync]: syncTask,
  [failover]: async (deps, job) => {
    let row = await getItemRow(deps, job.projectId, job.itemId);
    if (!row.migratePointId) {
      await syncTask(deps, job);
      row = await getItemRow(deps, job.projectId, job.itemId);
    }
    const point = await getPoint(deps, job.projectId, job.itemId, row.migratePointId ?? "");
    await changeItem(deps, job.projectId, job.itemId, (r) =>
      r.migratedVmId ? undefined : { ...r, migratedVmId: vmIdFor(job.jobId) },
    );
    const target = JSON.parse(row.target) as ItemTarget;
    const vmId = await createVmFromPoint(failoverDeps(deps), job, point, {
      test: false,
      network: target.network,
      subnet: target.subnet,
    });
    return `Created ${target.vmName} (${vmId}) from ${point.id}.`;
  },
  [startVm]: async () => "The migrated virtual machine is running.",
  [provider]: async (deps, job) => {
    await changeItem(deps, job.projectId, job.itemId, (r) =>
      r.agentAction ? { ...r, agentAction: undefined } : undefined,
    );
    return undefined;
  },
};

/** A cancelled migration: the VM it made goes, its point is released, and replication carries on. */
export async function undoMigration(deps: ControlPlaneDeps, job: JobRef): Promise<void> {
  const row = await getItemRow(deps, job.projectId, job.itemId);
  if (row.migratedVmId) await failoverDeps(deps).targets.deleteVirtualMachine(job.projectId, row.migratedVmId);
  if (row.migratePointId) await unpinRecoveryPoint(deps, job.itemId, row.migratePointId, job.jobId);
  await changeItem(deps, job.projectId, job.itemId, (r) => ({
    ...r,
    migratedVmId: undefined,
    migratePointId: undefined,
    agentAction: undefined,
  }));
}

import { getItemRow, type ItemDisk, type ItemTarget } from "../../controlPlane/items";
import { getMachine } from "../../controlPlane/machines";
import { getProject } from "../../controlPlane/projects";
import { replicaRef, type StoredPoint } from "../../replication/store";
import { settledPoint } from "../../replication/points";
import type { OsType, TargetDisk } from "../../target/targetProvider";
import type { JobRef } from "../taskTypes";
import type { FailoverDeps } from "./deps";

/** A job's target VM id: derived from the job, so a retried task or a compensation finds the same VM. */
export function vmIdFor(jobId: string): string {
  return `vm_${jobId.slice("job_".length)}`;
}

export interface Placement {
  test: boolean;
  network: string;
  subnet?: string;
}

/**
 * Makes the target VM from a recovery point: each included disk as a fixed VHD made from the
 * point's snapshot (storage copies it; no bytes pass through here; a point cut ahead of apply
 * gets its snapshots first), then the VM record.
 */
export async function createVmFromPoint(
  deps: FailoverDeps,
  job: JobRef,
  chosen: StoredPoint,
  placement: Placement,
): Promise<string> {
  const point = await settledPoint(deps, job.projectId, job.itemId, chosen);
  const row = await getItemRow(deps, job.projectId, job.itemId);
  const [project, machine] = await Promise.all([
    getProject(deps, job.projectId),
    getMachine(deps, job.projectId, row.machineId),
  ]);
  const target = JSON.parse(row.target) as ItemTarget;
  const itemDisks = (JSON.parse(row.disks) as ItemDisk[]).filter((d) => d.include);
  const osType: OsType = /windows/i.test(machine.os) ? "Windows" : "Linux";
  const vmId = vmIdFor(job.jobId);
  const name = target.vmName ?? machine.hostname;
  const common = {
    projectId: job.projectId,
    vmId,
    test: placement.test,
    location: project.targetRegion,
    resourceGroup: target.resourceGroup,
  };
  const disks: TargetDisk[] = [];
  for (const disk of itemDisks) {
    const snap = point.disks.find((d) => d.diskId === disk.diskId);
    if (!snap) throw new Error(`Recovery point ${point.id} has no snapshot of disk ${disk.diskId}.`);
    const ref = replicaRef(job.projectId, job.itemId, disk.diskId);
    disks.push(
      await deps.targets.createDiskFromSnapshot({
        ...common,
        vmName: name,
        diskId: disk.diskId,
        source: { container: ref.container, blobName: ref.name, snapshot: snap.snapshot },
        sizeBytes: disk.sizeBytes,
        diskType: disk.diskType,
        isOsDisk: disk.isBoot,
        osType,
      }),
    );
  }
  await deps.targets.createVirtualMachine({
    ...common,
    itemId: job.itemId,
    recoveryPointId: point.id,
    name,
    size: target.vmSize,
    network: placement.network,
    subnet: placement.subnet,
    osType,
    osDiskId: itemDisks.find((d) => d.isBoot)?.diskId ?? itemDisks[0].diskId,
    disks,
    availabilitySet: placement.test ? undefined : target.availabilitySet,
    hybridBenefit: target.hybridBenefit,
  });
  return vmId;
}

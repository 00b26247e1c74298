import type { VirtualMachine } from "../api/virtualMachines";
import type { ControlPlaneDeps } from "../controlPlane/deps";
import { getProject } from "../controlPlane/projects";
import type { ByteRangeRequest } from "../domain/byteRange";
import { errors } from "../domain/errors";
import { isDiskId } from "../domain/ids";
import type { DiskStream, TargetProvider } from "./targetProvider";
import { virtualMachineView } from "./virtualMachineView";

/** The operator API's use cases over target VMs: projects are checked first, so another project's ids answer 404. */
export interface TargetVmDeps extends ControlPlaneDeps {
  targets: TargetProvider;
}

export async function listVirtualMachines(deps: TargetVmDeps, projectId: string): Promise<VirtualMachine[]> {
  await getProject(deps, projectId);
  return (await deps.targets.listVirtualMachines(projectId)).map(virtualMachineView);
}

export async function getVirtualMachine(deps: TargetVmDeps, projectId: string, vmId: string): Promise<VirtualMachine> {
  await getProject(deps, projectId);
  const vm = await deps.targets.getVirtualMachine(projectId, vmId);
  if (vm === undefined) throw errors.notFound("VirtualMachine", vmId);
  return virtualMachineView(vm);
}

/** A disk's fixed VHD, streamed; `range` selects part of it (416 when it selects nothing). */
export async function openVirtualMachineDisk(
  deps: TargetVmDeps,
  projectId: string,
  vmId: string,
  diskId: string,
  range?: ByteRangeRequest,
): Promise<DiskStream> {
  if (!isDiskId(diskId)) throw errors.notFound("Disk", String(diskId).slice(0, 64));
  await getProject(deps, projectId);
  return deps.targets.openDiskStream(projectId, vmId, diskId, { range });
}

import { missingActions } from "../domain/armActions";
import { errors } from "../domain/errors";
import { targetNicName, targetVmName } from "../domain/targetNaming";
import { deleted, existing, mustExist, type ArmClients } from "./armClients";
import { listGroupPermissions } from "./armPermissions";
import { diskBody, nicBody, vmBody, type AzureTargetSettings } from "./azureResources";
import { targetGroupActions } from "./azureTargetActions";
import type { CloudPlacement, TargetRecords } from "./targetRecords";
import type {
  CreateTargetDiskInput,
  CreateTargetVmInput,
  DiskStream,
  DiskStreamOptions,
  TargetCallOptions,
  TargetDisk,
  TargetNic,
  TargetPlacement,
  TargetProvider,
  TargetVm,
} from "./targetProvider";

/**
 * Target VMs in Azure: each disk is imported as a managed disk from its fixed VHD blob (a
 * same-account copy of the recovery-point snapshot), then a NIC in the VM's subnet, then the
 * VM attaching them; the record is written last. Deletes go in reverse: VM, NIC, disks, blobs, record.
 */
export class AzureTargetProvider implements TargetProvider {
  constructor(
    private readonly records: TargetRecords,
    private readonly arm: ArmClients,
    private readonly settings: AzureTargetSettings,
    private readonly options: { pollIntervalMs?: number } = {},
  ) {}

  private lro(abortSignal?: AbortSignal) {
    return { abortSignal, updateIntervalInMs: this.options.pollIntervalMs };
  }

  async createDiskFromSnapshot(input: CreateTargetDiskInput, options: TargetCallOptions = {}): Promise<TargetDisk> {
    const disk = await this.records.materializeDisk(input, options.abortSignal);
    const { disks } = this.arm.compute;
    const body = diskBody(input, this.records.blobs.blobUrl(disk.blobName), this.settings);
    const made =
      (await existing(() => disks.get(input.resourceGroup, disk.name, { abortSignal: options.abortSignal }))) ??
      (await disks.beginCreateOrUpdateAndWait(input.resourceGroup, disk.name, body, this.lro(options.abortSignal)));
    return { ...disk, resourceId: made.id };
  }

  async createVirtualMachine(input: CreateTargetVmInput, options: TargetCallOptions = {}): Promise<TargetVm> {
    await this.records.checkDisks(input, options.abortSignal);
    const name = targetVmName(input.name, input.test);
    const nic = await this.ensureNic(input, targetNicName(name), options.abortSignal);
    const { virtualMachines } = this.arm.compute;
    const body = vmBody(input, input.disks, nic.resourceId ?? "", this.settings);
    const vm =
      (await existing(() => virtualMachines.get(input.resourceGroup, name, { abortSignal: options.abortSignal }))) ??
      (await virtualMachines.beginCreateOrUpdateAndWait(
        input.resourceGroup,
        name,
        body,
        this.lro(options.abortSignal),
      ));
    return this.records.record(input, { nic, resourceId: vm.id }, options.abortSignal);
  }

  private async ensureNic(input: CreateTargetVmInput, name: string, abortSignal?: AbortSignal): Promise<TargetNic> {
    const { networkInterfaces } = this.arm.network;
    const nic =
      (await existing(() => networkInterfaces.get(input.resourceGroup, name, { abortSignal }))) ??
      (await networkInterfaces.beginCreateOrUpdateAndWait(
        input.resourceGroup,
        name,
        nicBody(input, this.settings),
        this.lro(abortSignal),
      ));
    const privateIpAddress = nic.ipConfigurations?.[0]?.privateIPAddress ?? "";
    return { name, privateIpAddress, resourceId: nic.id };
  }

  getVirtualMachine(projectId: string, vmId: string, options: TargetCallOptions = {}): Promise<TargetVm | undefined> {
    return this.records.get(projectId, vmId, options.abortSignal);
  }

  listVirtualMachines(projectId: string, options: TargetCallOptions = {}): Promise<TargetVm[]> {
    return this.records.list(projectId, options.abortSignal);
  }

  /** Without a record (a create that failed before writing it), its blobs say what it may have made. */
  async deleteVirtualMachine(projectId: string, vmId: string, options: TargetCallOptions = {}): Promise<void> {
    const vm = await this.records.markDeleting(projectId, vmId, options.abortSignal);
    const placed = vm
      ? {
          resourceGroup: vm.resourceGroup,
          vmName: vm.name,
          nicName: vm.nic.name,
          diskNames: vm.disks.map((d) => d.name),
        }
      : await this.records.orphanPlacement(projectId, vmId, options.abortSignal);
    if (placed !== undefined) await this.removeResources(placed, options.abortSignal);
    await this.records.forget(projectId, vmId, options.abortSignal);
  }

  private async removeResources(placed: CloudPlacement, abortSignal?: AbortSignal): Promise<void> {
    const lro = this.lro(abortSignal);
    const { resourceGroup } = placed;
    await deleted(() => this.arm.compute.virtualMachines.beginDeleteAndWait(resourceGroup, placed.vmName, lro));
    await deleted(() => this.arm.network.networkInterfaces.beginDeleteAndWait(resourceGroup, placed.nicName, lro));
    for (const name of placed.diskNames)
      await deleted(() => this.arm.compute.disks.beginDeleteAndWait(resourceGroup, name, lro));
  }

  openDiskStream(projectId: string, vmId: string, diskId: string, options?: DiskStreamOptions): Promise<DiskStream> {
    return this.records.openDiskStream(projectId, vmId, diskId, options);
  }

  /** Asks Resource Manager what the identity may do in the group, then that the subnet and set exist. */
  async checkTarget(target: TargetPlacement, options: TargetCallOptions = {}): Promise<void> {
    const { abortSignal } = options;
    const { resourceGroup, network } = target;
    const held = await listGroupPermissions(
      this.arm.compute,
      this.arm.endpoint,
      this.settings.subscriptionId,
      resourceGroup,
      abortSignal,
    );
    const missing = missingActions(targetGroupActions, held);
    if (missing.length > 0) throw errors.targetPermissionMissing(resourceGroup, missing);
    const subnet = target.subnet ?? "default";
    await mustExist(
      () => this.arm.network.subnets.get(resourceGroup, network, subnet, { abortSignal }),
      () => errors.targetResourceNotFound("Subnet", `${network}/${subnet}`, "target.subnet"),
    );
    const { availabilitySet } = target;
    if (availabilitySet === undefined) return;
    await mustExist(
      () => this.arm.compute.availabilitySets.get(resourceGroup, availabilitySet, { abortSignal }),
      () => errors.targetResourceNotFound("AvailabilitySet", availabilitySet, "target.availabilitySet"),
    );
  }
}

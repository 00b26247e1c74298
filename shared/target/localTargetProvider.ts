import type { TargetRecords } from "./targetRecords";
import type {
  CreateTargetDiskInput,
  CreateTargetVmInput,
  DiskStream,
  DiskStreamOptions,
  TargetCallOptions,
  TargetDisk,
  TargetPlacement,
  TargetProvider,
  TargetVm,
} from "./targetProvider";

/**
 * Target VMs without a cloud: each disk is a fixed VHD page blob copied (metadata only in
 * Azurite) from its recovery-point snapshot, each VM a table row with a placeholder NIC
 * address. What it makes is what the Azure provider would import, byte for byte.
 */
export class LocalTargetProvider implements TargetProvider {
  constructor(private readonly records: TargetRecords) {}

  createDiskFromSnapshot(input: CreateTargetDiskInput, options: TargetCallOptions = {}): Promise<TargetDisk> {
    return this.records.materializeDisk(input, options.abortSignal);
  }

  async createVirtualMachine(input: CreateTargetVmInput, options: TargetCallOptions = {}): Promise<TargetVm> {
    await this.records.checkDisks(input, options.abortSignal);
    return this.records.record(input, {}, options.abortSignal);
  }

  getVirtualMachine(projectId: string, vmId: string, options: TargetCallOptions = {}): Promise<TargetVm | undefined> {
    return this.records.get(projectId, vmId, options.abortSignal);
  }

  listVirtualMachines(projectId: string, options: TargetCallOptions = {}): Promise<TargetVm[]> {
    return this.records.list(projectId, options.abortSignal);
  }

  async deleteVirtualMachine(projectId: string, vmId: string, options: TargetCallOptions = {}): Promise<void> {
    await this.records.markDeleting(projectId, vmId, options.abortSignal);
    await this.records.forget(projectId, vmId, options.abortSignal);
  }

  openDiskStream(projectId: string, vmId: string, diskId: string, options?: DiskStreamOptions): Promise<DiskStream> {
    return this.records.openDiskStream(projectId, vmId, diskId, options);
  }

  /** Any placement will do: nothing leaves Ferry's own storage. */
  async checkTarget(_target: TargetPlacement, _options?: TargetCallOptions): Promise<void> {}
}

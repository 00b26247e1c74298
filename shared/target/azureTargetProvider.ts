import { ComputeManagementClient } from "@azure/arm-compute";
import { NetworkManagementClient } from "@azure/arm-network";
import type { TokenCredential } from "@azure/core-auth";
import { targetNicName, targetVmName } from "../domain/targetNaming";
import { diskBody, nicBody, vmBody, type AzureTargetSettings } from "./azureResources";
import type { TargetRecords } from "./targetRecords";
import type {
  CreateTargetDiskInput,
  CreateTargetVmInput,
  DiskStream,
  DiskStreamOptions,
  TargetCallOptions,
  TargetDisk,
  TargetNic,
  TargetProvider,
  TargetVm,
} from "./targetProvider";

export interface ArmClients {
  compute: ComputeManagementClient;
  network: NetworkManagementClient;
}

export interface ArmClientOptions {
  /** Resource Manager's address; another one only for a sovereign cloud or a test double. */
  endpoint?: string;
  /** PEM to trust for that endpoint's certificate (a test double's self-signed one). */
  caPem?: string;
  /** How often to poll a long-running operation, in ms. */
  pollIntervalMs?: number;
}

export function armClients(
  credential: TokenCredential,
  subscriptionId: string,
  options: ArmClientOptions = {},
): ArmClients {
  const endpoint = options.endpoint ?? "https://management.azure.com";
  const shared = {
    endpoint,
    $host: endpoint,
    credentialScopes: "https://management.azure.com/.default",
    ...(options.caPem ? { tlsOptions: { ca: options.caPem } } : {}),
  };
  return {
    compute: new ComputeManagementClient(credential, subscriptionId, shared),
    network: new NetworkManagementClient(credential, subscriptionId, shared),
  };
}

/** The HTTP status of an SDK RestError (narrowed by shape: the ARM clients bring their own pipeline copy). */
function statusOf(error: unknown): number | undefined {
  const status = error instanceof Error && "statusCode" in error ? error.statusCode : undefined;
  return typeof status === "number" ? status : undefined;
}

/** The resource if it exists and finished provisioning; so a retried create never PUTs twice. */
async function existing<T extends { provisioningState?: string }>(get: () => Promise<T>): Promise<T | undefined> {
  try {
    const found = await get();
    return found.provisioningState === "Succeeded" ? found : undefined;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

async function deleted(remove: () => Promise<void>): Promise<void> {
  try {
    await remove();
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
}

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

  async deleteVirtualMachine(projectId: string, vmId: string, options: TargetCallOptions = {}): Promise<void> {
    const vm = await this.records.markDeleting(projectId, vmId, options.abortSignal);
    if (vm !== undefined) {
      const lro = this.lro(options.abortSignal);
      await deleted(() => this.arm.compute.virtualMachines.beginDeleteAndWait(vm.resourceGroup, vm.name, lro));
      await deleted(() => this.arm.network.networkInterfaces.beginDeleteAndWait(vm.resourceGroup, vm.nic.name, lro));
      for (const disk of vm.disks)
        await deleted(() => this.arm.compute.disks.beginDeleteAndWait(vm.resourceGroup, disk.name, lro));
    }
    await this.records.forget(projectId, vmId, options.abortSignal);
  }

  openDiskStream(projectId: string, vmId: string, diskId: string, options?: DiskStreamOptions): Promise<DiskStream> {
    return this.records.openDiskStream(projectId, vmId, diskId, options);
  }
}

import { resolveRange } from "../domain/byteRange";
import { errors } from "../domain/errors";
import { unwrap } from "../domain/result";
import {
  placeholderPrivateIp,
  targetBlobName,
  targetBlobPrefix,
  targetDiskName,
  targetNicName,
  targetVmName,
} from "../domain/targetNaming";
import { replicaBlobBytes } from "../replication/store";
import type { TargetBlobs } from "./targetBlobs";
import type {
  CreateTargetDiskInput,
  CreateTargetVmInput,
  DiskStream,
  DiskStreamOptions,
  TargetDisk,
  TargetNic,
  TargetVm,
} from "./targetProvider";
import type { TargetVmStore } from "./targetVmStore";

/** What a provider adds to a VM record: the NIC it made and the cloud's resource id, if any. */
export interface VmPlacement {
  nic?: TargetNic;
  resourceId?: string;
}

/** What one VM's creation puts in the cloud, by name: enough to delete it without its record. */
export interface CloudPlacement {
  resourceGroup: string;
  vmName: string;
  nicName: string;
  diskNames: string[];
}

// Each target blob names the group and VM its managed disk goes to: it is written before them.
const placementKeys = { resourceGroup: "ferryresourcegroup", vmName: "ferryvmname" } as const;

/**
 * The part every provider shares: target VHD blobs materialized from snapshots, and the VM
 * records the operator API reads. Data is written before the record that points to it.
 */
export class TargetRecords {
  constructor(
    private readonly store: TargetVmStore,
    readonly blobs: TargetBlobs,
    private readonly now: () => Date,
  ) {}

  /** Copies the snapshot to the VM's target blob (idempotent) and checks its fixed-VHD size. */
  async materializeDisk(input: CreateTargetDiskInput, abortSignal?: AbortSignal): Promise<TargetDisk> {
    const blobName = targetBlobName(input.projectId, input.vmId, input.diskId);
    const vmName = targetVmName(input.vmName, input.test);
    const made = await this.blobs.materialize(input.source, blobName, abortSignal, {
      [placementKeys.resourceGroup]: input.resourceGroup,
      [placementKeys.vmName]: vmName,
    });
    const vhdSizeBytes = replicaBlobBytes(input.sizeBytes);
    if (made.sizeBytes !== vhdSizeBytes) {
      throw new Error(
        `Snapshot of disk ${input.diskId} is ${made.sizeBytes} bytes; ` +
          `a fixed VHD of a ${input.sizeBytes}-byte disk is ${vhdSizeBytes}.`,
      );
    }
    return {
      diskId: input.diskId,
      name: targetDiskName(vmName, input.diskId),
      blobName,
      sizeBytes: input.sizeBytes,
      vhdSizeBytes,
      diskType: input.diskType,
      isOsDisk: input.isOsDisk,
    };
  }

  /** Refuses a VM whose OS disk is not among its disks, or whose disk blobs are missing. */
  async checkDisks(input: CreateTargetVmInput, abortSignal?: AbortSignal): Promise<void> {
    const osDisk = input.disks.find((disk) => disk.diskId === input.osDiskId);
    if (osDisk === undefined)
      throw errors.invalidInput(`The OS disk '${input.osDiskId}' is not among the VM's disks.`, "osDiskId");
    for (const disk of input.disks) {
      if (!(await this.blobs.exists(disk.blobName, abortSignal)))
        throw errors.invalidInput(`Disk '${disk.diskId}' was not materialized.`, "disks");
    }
  }

  /** Writes the VM record; a repeated call returns the record the first one wrote. */
  async record(input: CreateTargetVmInput, placement: VmPlacement, abortSignal?: AbortSignal): Promise<TargetVm> {
    const name = targetVmName(input.name, input.test);
    const vm: TargetVm = {
      id: input.vmId,
      projectId: input.projectId,
      itemId: input.itemId,
      recoveryPointId: input.recoveryPointId,
      name,
      test: input.test,
      size: input.size,
      location: input.location,
      resourceGroup: input.resourceGroup,
      network: input.network,
      subnet: input.subnet,
      osType: input.osType,
      availabilitySet: input.availabilitySet,
      hybridBenefit: input.hybridBenefit ?? false,
      nic: placement.nic ?? { name: targetNicName(name), privateIpAddress: placeholderPrivateIp(input.vmId) },
      disks: input.disks.map((disk) => ({ ...disk, isOsDisk: disk.diskId === input.osDiskId })),
      state: "Running",
      createdAt: this.now().toISOString(),
      resourceId: placement.resourceId,
    };
    return this.store.insertOrGet(dropUndefined(vm), abortSignal);
  }

  get(projectId: string, vmId: string, abortSignal?: AbortSignal): Promise<TargetVm | undefined> {
    return this.store.get(projectId, vmId, abortSignal);
  }

  list(projectId: string, abortSignal?: AbortSignal): Promise<TargetVm[]> {
    return this.store.list(projectId, abortSignal);
  }

  /** Marks the record Deleting so readers see it going; undefined when there is no record. */
  markDeleting(projectId: string, vmId: string, abortSignal?: AbortSignal): Promise<TargetVm | undefined> {
    return this.store.setState(projectId, vmId, "Deleting", abortSignal);
  }

  /** Where a create that never wrote its record put (or was about to put) its resources; undefined if nowhere. */
  async orphanPlacement(
    projectId: string,
    vmId: string,
    abortSignal?: AbortSignal,
  ): Promise<CloudPlacement | undefined> {
    const prefix = targetBlobPrefix(projectId, vmId);
    const blobs = await this.blobs.listWithMetadata(prefix, abortSignal);
    const placed = blobs.find(
      (blob) => blob.metadata[placementKeys.resourceGroup] && blob.metadata[placementKeys.vmName],
    );
    if (placed === undefined) return undefined;
    const vmName = placed.metadata[placementKeys.vmName] ?? "";
    return {
      resourceGroup: placed.metadata[placementKeys.resourceGroup] ?? "",
      vmName,
      nicName: targetNicName(vmName),
      diskNames: blobs.map((blob) => targetDiskName(vmName, blob.name.slice(prefix.length).replace(/\.vhd$/, ""))),
    };
  }

  /** Deletes the VM's blobs (even orphans of a create that never wrote its record), then the record. */
  async forget(projectId: string, vmId: string, abortSignal?: AbortSignal): Promise<void> {
    await this.blobs.deletePrefix(targetBlobPrefix(projectId, vmId), abortSignal);
    await this.store.delete(projectId, vmId, abortSignal);
  }

  async openDiskStream(
    projectId: string,
    vmId: string,
    diskId: string,
    options: DiskStreamOptions = {},
  ): Promise<DiskStream> {
    const vm = await this.store.get(projectId, vmId, options.abortSignal);
    const disk = vm?.disks.find((candidate) => candidate.diskId === diskId);
    if (vm === undefined) throw errors.notFound("VirtualMachine", vmId);
    if (disk === undefined) throw errors.notFound("Disk", diskId);
    const size = (await this.blobs.sizeOf(disk.blobName, options.abortSignal)) ?? 0;
    if (size === 0) throw errors.notFound("Disk", diskId);
    const range = options.range === undefined ? { start: 0, end: size - 1 } : unwrap(resolveRange(options.range, size));
    return {
      size,
      range,
      partial: options.range !== undefined,
      stream: this.blobs.read(disk.blobName, range, options.abortSignal),
    };
  }
}

/** Table rows cannot hold undefined properties. */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

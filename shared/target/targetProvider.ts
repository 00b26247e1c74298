import type { Readable } from "node:stream";
import type { ByteRange, ByteRangeRequest } from "../domain/byteRange";
import type { DiskType } from "../domain/targetDisks";

/**
 * Where failover puts what it creates: target disks (fixed VHDs materialized from recovery-point
 * snapshots) and target VMs. Activities call these at least once, so every operation is
 * idempotent: repeating a create returns what the first call made, deleting what is gone is fine.
 */
export interface TargetProvider {
  /** Materializes one recovery-point snapshot as the VM's disk. Call for every disk before createVirtualMachine. */
  createDiskFromSnapshot(input: CreateTargetDiskInput, options?: TargetCallOptions): Promise<TargetDisk>;
  /** Creates the VM over disks made by createDiskFromSnapshot; its record is written last. */
  createVirtualMachine(input: CreateTargetVmInput, options?: TargetCallOptions): Promise<TargetVm>;
  getVirtualMachine(projectId: string, vmId: string, options?: TargetCallOptions): Promise<TargetVm | undefined>;
  listVirtualMachines(projectId: string, options?: TargetCallOptions): Promise<TargetVm[]>;
  /** Removes the VM, its NIC and its disks (in that order), then its record. */
  deleteVirtualMachine(projectId: string, vmId: string, options?: TargetCallOptions): Promise<void>;
  /** A disk's fixed VHD bytes, read from storage in bounded ranges as the consumer pulls them. */
  openDiskStream(projectId: string, vmId: string, diskId: string, options?: DiskStreamOptions): Promise<DiskStream>;
  /**
   * Refuses a placement failover could not use (no permission in the group, no such subnet or
   * availability set) with a FerryError; called when replication is enabled or its target changes.
   */
  checkTarget(target: TargetPlacement, options?: TargetCallOptions): Promise<void>;
}

/** Where an item's VMs will go: what checkTarget verifies before any data is replicated. */
export interface TargetPlacement {
  resourceGroup: string;
  network: string;
  subnet?: string;
  availabilitySet?: string;
}

export interface TargetCallOptions {
  abortSignal?: AbortSignal;
}

/** A recovery point's snapshot of one replica page blob (a fixed VHD), in Ferry's own account. */
export interface SnapshotSource {
  container: string;
  blobName: string;
  snapshot: string;
}

export type OsType = "Windows" | "Linux";

export interface CreateTargetDiskInput {
  projectId: string;
  vmId: string;
  /** The VM's base name; a test migration's disks follow its "-Test" name. */
  vmName: string;
  test: boolean;
  diskId: string;
  source: SnapshotSource;
  /** The source disk's size; the VHD is this rounded up to a whole MiB, plus its 512-byte footer. */
  sizeBytes: number;
  diskType: DiskType;
  isOsDisk: boolean;
  osType: OsType;
  location: string;
  resourceGroup: string;
}

export interface TargetDisk {
  diskId: string;
  /** The managed disk's name ("<vm>-<diskId>"). */
  name: string;
  /** The fixed VHD page blob, in the targets container. */
  blobName: string;
  sizeBytes: number;
  vhdSizeBytes: number;
  diskType: DiskType;
  isOsDisk: boolean;
  /** The managed disk's ARM id (Azure provider only). */
  resourceId?: string;
}

export interface CreateTargetVmInput {
  projectId: string;
  vmId: string;
  itemId: string;
  recoveryPointId: string;
  /** The base name; a test migration's VM is named "<name>-Test". */
  name: string;
  test: boolean;
  size: string;
  location: string;
  resourceGroup: string;
  network: string;
  subnet?: string;
  osType: OsType;
  osDiskId: string;
  disks: TargetDisk[];
  availabilitySet?: string;
  hybridBenefit?: boolean;
}

export interface TargetNic {
  name: string;
  privateIpAddress: string;
  resourceId?: string;
}

export type TargetVmState = "Running" | "Deleting";

/** A made VM: what was asked for (its name already carries "-Test" for a test migration), plus what exists now. */
export interface TargetVm extends Omit<CreateTargetVmInput, "vmId" | "osDiskId" | "hybridBenefit"> {
  id: string;
  hybridBenefit: boolean;
  nic: TargetNic;
  state: TargetVmState;
  createdAt: string;
  resourceId?: string;
}

export interface DiskStreamOptions extends TargetCallOptions {
  range?: ByteRangeRequest;
}

export interface DiskStream {
  /** The whole VHD's size. */
  size: number;
  /** The bytes the stream holds; the whole disk unless a range was asked for. */
  range: ByteRange;
  partial: boolean;
  stream: Readable;
}

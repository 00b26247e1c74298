// The local target provider against real Azurite: disks materialized from recovery-point
// snapshots are byte-exact fixed VHDs that later replica writes never reach.
import { randomBytes } from "node:crypto";
import { BlobServiceClient } from "@azure/storage-blob";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { newId } from "../../shared/domain/ids";
import { parseVhdFooter } from "../../shared/replication/store";
import { targetsContainer } from "../../shared/target/targetBlobs";
import type { CreateTargetVmInput, TargetDisk, TargetProvider } from "../../shared/target/targetProvider";
import {
  localTargets,
  readAll,
  replicaWithSnapshot,
  sha256,
  vhdImage,
  type ReplicaStandIn,
} from "../support/targetKit";

const diskBytes = 10 * 1024 * 1024 + 12345;
const storage = () => inject("storageConnectionString");
const id = (kind: "project" | "virtualMachine" | "item" | "recoveryPoint") => newId(kind, new Date(), randomBytes);

let targets: TargetProvider;
let replica: ReplicaStandIn;
beforeAll(async () => {
  targets = localTargets(storage());
  replica = await replicaWithSnapshot(storage(), "ferry-target-tests", vhdImage(diskBytes));
});

function diskInput(projectId: string, vmId: string, source = replica.source) {
  return {
    projectId,
    vmId,
    vmName: "web01",
    test: true,
    diskId: "disk0",
    source,
    sizeBytes: diskBytes,
    diskType: "StandardSSD_LRS",
    isOsDisk: true,
    osType: "Linux",
    location: "westeurope",
    resourceGroup: "rg-target",
  } as const;
}

function vmInput(projectId: string, vmId: string, disks: TargetDisk[]): CreateTargetVmInput {
  return {
    projectId,
    vmId,
    itemId: id("item"),
    recoveryPointId: id("recoveryPoint"),
    name: "web01",
    test: true,
    size: "Standard_D2s_v5",
    location: "westeurope",
    resourceGroup: "rg-target",
    network: "vnet-test",
    subnet: "default",
    osType: "Linux",
    osDiskId: "disk0",
    disks,
  };
}

async function wholeDisk(projectId: string, vmId: string): Promise<Buffer> {
  return readAll((await targets.openDiskStream(projectId, vmId, "disk0")).stream);
}

describe("local target provider", () => {
  it("materializes a snapshot as a fixed VHD equal to it byte for byte, and records the VM after its disks", async () => {
    const [projectId, vmId] = [id("project"), id("virtualMachine")];
    const disk = await targets.createDiskFromSnapshot(diskInput(projectId, vmId));
    expect(disk).toMatchObject({
      diskId: "disk0",
      name: "web01-Test-disk0",
      sizeBytes: diskBytes,
      vhdSizeBytes: 11 * 1024 * 1024 + 512,
      isOsDisk: true,
    });
    expect(await targets.getVirtualMachine(projectId, vmId)).toBeUndefined();
    const vm = await targets.createVirtualMachine(vmInput(projectId, vmId, [disk]));
    expect(vm).toMatchObject({
      id: vmId,
      name: "web01-Test",
      state: "Running",
      test: true,
      nic: { name: "web01-Test-nic" },
    });
    expect(vm.nic.privateIpAddress).toMatch(/^10\.\d+\.\d+\.\d+$/);
    const bytes = await wholeDisk(projectId, vmId);
    expect(sha256(bytes)).toBe(sha256(replica.image));
    expect(parseVhdFooter(bytes.subarray(bytes.length - 512))).toMatchObject({
      sizeBytes: 11 * 1024 * 1024,
      diskType: 2,
    });
  });

  it("keeps the target unchanged when the replica is written after the snapshot, or the snapshot is pruned", async () => {
    const own = await replicaWithSnapshot(storage(), "ferry-target-tests", vhdImage(diskBytes));
    const [projectId, vmId] = [id("project"), id("virtualMachine")];
    const disk = await targets.createDiskFromSnapshot(diskInput(projectId, vmId, own.source));
    await targets.createVirtualMachine(vmInput(projectId, vmId, [disk]));
    await own.blob.uploadPages(Buffer.alloc(4 * 1024 * 1024, 0xab), 0, 4 * 1024 * 1024);
    await own.blob.uploadPages(Buffer.alloc(512, 0xcd), 8 * 1024 * 1024, 512);
    expect(sha256(await wholeDisk(projectId, vmId))).toBe(sha256(own.image));
    await own.blob.withSnapshot(own.source.snapshot).delete();
    expect(sha256(await wholeDisk(projectId, vmId))).toBe(sha256(own.image));
  });

  it("returns the same disk and VM when a create is repeated, without copying again", async () => {
    const [projectId, vmId] = [id("project"), id("virtualMachine")];
    const first = await targets.createDiskFromSnapshot(diskInput(projectId, vmId));
    const blob = BlobServiceClient.fromConnectionString(storage())
      .getContainerClient(targetsContainer)
      .getBlobClient(first.blobName);
    const copyId = (await blob.getProperties()).copyId;
    expect(await targets.createDiskFromSnapshot(diskInput(projectId, vmId))).toEqual(first);
    expect((await blob.getProperties()).copyId).toBe(copyId);
    const input = vmInput(projectId, vmId, [first]);
    const vm = await targets.createVirtualMachine(input);
    expect(await targets.createVirtualMachine(input)).toEqual(vm);
    expect((await targets.listVirtualMachines(projectId)).map((listed) => listed.id)).toEqual([vmId]);
  });

  it("refuses a VM whose disks were not materialized, and a snapshot whose size is not the disk's VHD", async () => {
    const [projectId, vmId] = [id("project"), id("virtualMachine")];
    const ghost: TargetDisk = {
      diskId: "disk0",
      name: "x",
      blobName: `${projectId}/${vmId}/disk0.vhd`,
      sizeBytes: 1,
      vhdSizeBytes: 1,
      diskType: "Standard_LRS",
      isOsDisk: true,
    };
    await expect(targets.createVirtualMachine(vmInput(projectId, vmId, [ghost]))).rejects.toMatchObject({
      code: "InvalidInput",
    });
    await expect(
      targets.createDiskFromSnapshot({ ...diskInput(projectId, vmId), sizeBytes: diskBytes * 2 }),
    ).rejects.toThrow(/fixed VHD/);
  });

  it("deletes the VM and its disk blobs (never the snapshot), and deleting again is fine", async () => {
    const [projectId, vmId] = [id("project"), id("virtualMachine")];
    const disk = await targets.createDiskFromSnapshot(diskInput(projectId, vmId));
    await targets.createVirtualMachine(vmInput(projectId, vmId, [disk]));
    await targets.deleteVirtualMachine(projectId, vmId);
    expect(await targets.getVirtualMachine(projectId, vmId)).toBeUndefined();
    const left = BlobServiceClient.fromConnectionString(storage())
      .getContainerClient(targetsContainer)
      .listBlobsFlat({ prefix: `${projectId}/` });
    expect((await left.next()).done).toBe(true);
    await targets.deleteVirtualMachine(projectId, vmId);
    expect(sha256(await replica.blob.withSnapshot(replica.source.snapshot).downloadToBuffer())).toBe(
      sha256(replica.image),
    );
  });

  it("removes disk blobs a create left behind without a record", async () => {
    const [projectId, vmId] = [id("project"), id("virtualMachine")];
    await targets.createDiskFromSnapshot(diskInput(projectId, vmId));
    await targets.deleteVirtualMachine(projectId, vmId);
    const left = BlobServiceClient.fromConnectionString(storage())
      .getContainerClient(targetsContainer)
      .listBlobsFlat({ prefix: `${projectId}/` });
    expect((await left.next()).done).toBe(true);
  });
});

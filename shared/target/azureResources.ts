import type { Disk, VirtualMachine } from "@azure/arm-compute";
import type { NetworkInterface } from "@azure/arm-network";
import type { CreateTargetDiskInput, CreateTargetVmInput, TargetDisk } from "./targetProvider";

/** Where Ferry's Azure target lives: the subscription, and the storage account holding the VHDs. */
export interface AzureTargetSettings {
  subscriptionId: string;
  /** ARM id of the account the target VHD blobs are in; Import requires it. */
  storageAccountId: string;
}

/** Tags on every resource Ferry creates, so a sweep can find what a crashed create left behind. */
export function ferryTags(projectId: string, vmId: string): Record<string, string> {
  return { "ferry-project": projectId, "ferry-vm": vmId };
}

function groupId(settings: AzureTargetSettings, resourceGroup: string): string {
  return `/subscriptions/${settings.subscriptionId}/resourceGroups/${resourceGroup}`;
}

/** The VM's subnet: target settings name a virtual network in the target resource group. */
export function subnetId(
  settings: AzureTargetSettings,
  input: Pick<CreateTargetVmInput, "resourceGroup" | "network" | "subnet">,
): string {
  return (
    `${groupId(settings, input.resourceGroup)}/providers/Microsoft.Network/virtualNetworks/${input.network}` +
    `/subnets/${input.subnet ?? "default"}`
  );
}

export function availabilitySetId(settings: AzureTargetSettings, resourceGroup: string, name: string): string {
  return `${groupId(settings, resourceGroup)}/providers/Microsoft.Compute/availabilitySets/${name}`;
}

/** A managed disk imported from the fixed VHD blob. */
export function diskBody(input: CreateTargetDiskInput, sourceUri: string, settings: AzureTargetSettings): Disk {
  return {
    location: input.location,
    sku: { name: input.diskType },
    ...(input.isOsDisk ? { osType: input.osType } : {}),
    creationData: { createOption: "Import", sourceUri, storageAccountId: settings.storageAccountId },
    tags: ferryTags(input.projectId, input.vmId),
  };
}

export function nicBody(input: CreateTargetVmInput, settings: AzureTargetSettings): NetworkInterface {
  return {
    location: input.location,
    ipConfigurations: [
      {
        name: "ipconfig1",
        primary: true,
        privateIPAllocationMethod: "Dynamic",
        subnet: { id: subnetId(settings, input) },
      },
    ],
    tags: ferryTags(input.projectId, input.vmId),
  };
}

/** The VM over attached disks: the OS disk, then data disks by lun in the order given. */
export function vmBody(
  input: CreateTargetVmInput,
  disks: readonly TargetDisk[],
  nicId: string,
  settings: AzureTargetSettings,
): VirtualMachine {
  const osDisk = disks.find((disk) => disk.diskId === input.osDiskId);
  const dataDisks = disks.filter((disk) => disk.diskId !== input.osDiskId);
  return {
    location: input.location,
    tags: ferryTags(input.projectId, input.vmId),
    hardwareProfile: { vmSize: input.size },
    storageProfile: {
      osDisk: {
        createOption: "Attach",
        osType: input.osType,
        managedDisk: { id: osDisk?.resourceId, storageAccountType: osDisk?.diskType },
      },
      dataDisks: dataDisks.map((disk, lun) => ({
        lun,
        createOption: "Attach",
        managedDisk: { id: disk.resourceId, storageAccountType: disk.diskType },
      })),
    },
    networkProfile: { networkInterfaces: [{ id: nicId, primary: true }] },
    // Azure Hybrid Benefit for Windows Server; Linux BYOS licences are not offered here.
    ...(input.hybridBenefit && input.osType === "Windows" ? { licenseType: "Windows_Server" } : {}),
    ...(input.availabilitySet
      ? { availabilitySet: { id: availabilitySetId(settings, input.resourceGroup, input.availabilitySet) } }
      : {}),
  };
}

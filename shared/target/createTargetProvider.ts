import type { TokenCredential } from "@azure/core-auth";
import type { FerryConfig } from "../config";
import { Containers } from "../storage/blobContainers";
import { blobServiceClient, tableClient, type StorageAccess } from "../storage/storageAccess";
import { LocalTargetProvider } from "./localTargetProvider";
import { TargetBlobs } from "./targetBlobs";
import type { TargetProvider } from "./targetProvider";
import { TargetRecords } from "./targetRecords";
import { TargetVmStore, targetVmTable } from "./targetVmStore";

export interface TargetProviderDeps {
  storage: StorageAccess;
  /** Resource Manager's credential (the managed identity in Azure); asked for only by the Azure provider. */
  credential: () => TokenCredential;
  now: () => Date;
}

/** The VM records and VHD blobs every provider keeps in Ferry's own storage. */
export function createTargetRecords(storage: StorageAccess, now: () => Date): TargetRecords {
  return new TargetRecords(
    new TargetVmStore(tableClient(storage, targetVmTable)),
    new TargetBlobs(new Containers(blobServiceClient(storage))),
    now,
  );
}

/**
 * The provider the settings choose: "local" (Azurite only) or "azure" (Resource Manager). The
 * Azure provider and its Resource Manager SDKs load on first use, so a host that never targets
 * Azure does not carry them (several MiB of heap every full collection would walk).
 */
export function createTargetProvider(config: FerryConfig["target"], deps: TargetProviderDeps): TargetProvider {
  const records = createTargetRecords(deps.storage, deps.now);
  if (config.provider === "local") return new LocalTargetProvider(records);
  const settings = { subscriptionId: config.subscriptionId, storageAccountId: config.storageAccountId };
  return loadedOnFirstUse(async () => {
    const [{ armClients }, { AzureTargetProvider }] = await Promise.all([
      import("./armClients.js"),
      import("./azureTargetProvider.js"),
    ]);
    const clients = armClients(deps.credential(), config.subscriptionId, { endpoint: config.armEndpoint });
    return new AzureTargetProvider(records, clients, settings);
  });
}

/** A provider that is made when it is first called. */
function loadedOnFirstUse(load: () => Promise<TargetProvider>): TargetProvider {
  let loading: Promise<TargetProvider> | undefined;
  const provider = () => (loading ??= load());
  return {
    createDiskFromSnapshot: async (input, options) => (await provider()).createDiskFromSnapshot(input, options),
    createVirtualMachine: async (input, options) => (await provider()).createVirtualMachine(input, options),
    getVirtualMachine: async (projectId, vmId, options) =>
      (await provider()).getVirtualMachine(projectId, vmId, options),
    listVirtualMachines: async (projectId, options) => (await provider()).listVirtualMachines(projectId, options),
    deleteVirtualMachine: async (projectId, vmId, options) =>
      (await provider()).deleteVirtualMachine(projectId, vmId, options),
    openDiskStream: async (projectId, vmId, diskId, options) =>
      (await provider()).openDiskStream(projectId, vmId, diskId, options),
    checkTarget: async (target, options) => (await provider()).checkTarget(target, options),
  };
}

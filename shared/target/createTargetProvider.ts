import type { TokenCredential } from "@azure/core-auth";
import type { FerryConfig } from "../config";
import { Containers } from "../storage/blobContainers";
import { blobServiceClient, tableClient, type StorageAccess } from "../storage/storageAccess";
import { armClients, AzureTargetProvider } from "./azureTargetProvider";
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
  return new TargetRecords(new TargetVmStore(tableClient(storage, targetVmTable)), new TargetBlobs(new Containers(blobServiceClient(storage))), now);
}

/** The provider the settings choose: "local" (Azurite only) or "azure" (Resource Manager). */
export function createTargetProvider(config: FerryConfig["target"], deps: TargetProviderDeps): TargetProvider {
  const records = createTargetRecords(deps.storage, deps.now);
  if (config.provider === "local") return new LocalTargetProvider(records);
  const settings = { subscriptionId: config.subscriptionId, storageAccountId: config.storageAccountId };
  return new AzureTargetProvider(records, armClients(deps.credential(), config.subscriptionId), settings);
}

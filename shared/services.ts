import { randomBytes } from "node:crypto";
import { DefaultAzureCredential } from "@azure/identity";
import type { TableServiceClient } from "@azure/data-tables";
import type { ControlPlaneDeps } from "./controlPlane/deps";
import { newId } from "./domain/ids";
import { createStores } from "./storage/stores";
import { tableServiceClient, type StorageAccess } from "./storage/storageAccess";
import { readConfig, type FerryConfig } from "./config";
import { KeyVaultSecretStore } from "./storage/keyVaultSecrets";
import type { SecretStore } from "./storage/secretStore";

/** Everything Ferry's handlers and activities need, wired once per process. */
export interface Services extends ControlPlaneDeps {
  config: FerryConfig;
  secrets: SecretStore;
  storage: StorageAccess;
  tableService: TableServiceClient;
}

function storageAccess(config: FerryConfig): StorageAccess {
  return "connectionString" in config.storage
    ? { kind: "connectionString", connectionString: config.storage.connectionString }
    : { kind: "identity", accountName: config.storage.accountName, credential: new DefaultAzureCredential() };
}

export function createServices(config: FerryConfig): Services {
  const access = storageAccess(config);
  return {
    config,
    secrets: new KeyVaultSecretStore(config.keyVault),
    storage: access,
    tableService: tableServiceClient(access),
    stores: createStores(access),
    now: () => new Date(),
    newId: (kind) => newId(kind, new Date(), randomBytes),
  };
}

let current: Services | undefined;

/** The process's services, built from the environment on first use (the composition root). */
export function services(): Services {
  current ??= createServices(readConfig(process.env));
  return current;
}

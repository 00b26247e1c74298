import { randomBytes } from "node:crypto";
import { TableServiceClient } from "@azure/data-tables";
import type { ControlPlaneDeps } from "./controlPlane/deps";
import { newId } from "./domain/ids";
import { createStores } from "./storage/stores";
import { readConfig, type FerryConfig } from "./config";
import { KeyVaultSecretStore } from "./storage/keyVaultSecrets";
import type { SecretStore } from "./storage/secretStore";

/** Everything Ferry's handlers and activities need, wired once per process. */
export interface Services extends ControlPlaneDeps {
  config: FerryConfig;
  secrets: SecretStore;
  tableService: TableServiceClient;
}

export function createServices(config: FerryConfig): Services {
  return {
    config,
    secrets: new KeyVaultSecretStore(config.keyVault),
    tableService: TableServiceClient.fromConnectionString(config.storageConnectionString, { allowInsecureConnection: true }),
    stores: createStores(config.storageConnectionString),
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

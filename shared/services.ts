import { randomBytes } from "node:crypto";
import { DefaultAzureCredential } from "@azure/identity";
import type { TableServiceClient } from "@azure/data-tables";
import type { BlobServiceClient } from "@azure/storage-blob";
import { VaultDataKeys, type DataPathDeps } from "./replication/store";
import { Containers } from "./storage/blobContainers";
import { AzureCacheBlobs } from "./storage/cacheBlobs";
import { AzureReplicaBlobs } from "./storage/replicaBlobs";
import { newId, type IdKind } from "./domain/ids";
import { createStores } from "./storage/stores";
import { removeItemData } from "./replication/points";
import { blobServiceClient, tableServiceClient, type StorageAccess } from "./storage/storageAccess";
import { readConfig, type FerryConfig } from "./config";
import { KeyVaultKeyWrapper } from "./storage/keyVaultKeys";
import { KeyVaultSecretStore } from "./storage/keyVaultSecrets";
import { createMetricStore } from "./metrics/metricStore";
import type { MetricDeps } from "./metrics/sampleItems";
import type { SecretStore } from "./storage/secretStore";
import { OperatorAuthenticator } from "./controlPlane/operatorIdentity";
import { createTargetProvider } from "./target/createTargetProvider";
import type { TargetProvider } from "./target/targetProvider";

/** Everything Ferry's handlers and activities need, wired once per process. */
export interface Services extends DataPathDeps, MetricDeps {
  config: FerryConfig;
  secrets: SecretStore;
  storage: StorageAccess;
  tableService: TableServiceClient;
  blobService: BlobServiceClient;
  targets: TargetProvider;
  /** Who an operator request comes from (bootstrap key, a project's key, or an Entra ID token). */
  operatorAuth: OperatorAuthenticator;
}

function storageAccess(config: FerryConfig): StorageAccess {
  return "connectionString" in config.storage
    ? { kind: "connectionString", connectionString: config.storage.connectionString }
    : { kind: "identity", accountName: config.storage.accountName, credential: new DefaultAzureCredential() };
}

export function createServices(config: FerryConfig): Services {
  const access = storageAccess(config);
  const secrets = new KeyVaultSecretStore(config.keyVault);
  const stores = createStores(access);
  const blobService = blobServiceClient(access);
  const containers = new Containers(blobService);
  const ids = (kind: IdKind) => newId(kind, new Date(), randomBytes);
  const built: Services = {
    config,
    secrets,
    storage: access,
    tableService: tableServiceClient(access),
    blobService,
    stores,
    cache: new AzureCacheBlobs(containers),
    replicas: new AzureReplicaBlobs(containers),
    dataKeys: new VaultDataKeys(
      stores,
      secrets,
      new KeyVaultKeyWrapper(config.keyVault, config.keyVault.keyEncryptionKey),
      (message) => console.log(message),
    ),
    dataPathSettings: config.dataPath,
    metrics: createMetricStore(access),
    metricsSettings: config.metrics,
    now: () => new Date(),
    newId: ids,
    targets: createTargetProvider(config.target, {
      storage: access,
      credential: () => new DefaultAzureCredential(),
      now: () => new Date(),
    }),
    itemData: { remove: (projectId, itemId) => removeItemData(built, projectId, itemId) },
    operatorAuth: new OperatorAuthenticator(config.auth, { stores, secrets, now: () => new Date(), newId: ids }),
  };
  return built;
}

let current: Services | undefined;

/** The process's services, built from the environment on first use (the composition root). */
export function services(): Services {
  current ??= createServices(readConfig(process.env));
  return current;
}

import type { TokenCredential } from "@azure/core-auth";
import { TableClient, TableServiceClient } from "@azure/data-tables";
import { BlobServiceClient } from "@azure/storage-blob";

/**
 * How Ferry reaches its storage account: a connection string (Azurite, or keys), or the
 * account name plus a managed identity (Azure, identity-based `AzureWebJobsStorage__accountName`).
 */
export type StorageAccess =
  | { kind: "connectionString"; connectionString: string }
  | { kind: "identity"; accountName: string; credential: TokenCredential };

const insecureOk = { allowInsecureConnection: true };

export function tableClient(access: StorageAccess, table: string): TableClient {
  return access.kind === "connectionString"
    ? TableClient.fromConnectionString(access.connectionString, table, insecureOk)
    : new TableClient(`https://${access.accountName}.table.core.windows.net`, table, access.credential);
}

export function tableServiceClient(access: StorageAccess): TableServiceClient {
  return access.kind === "connectionString"
    ? TableServiceClient.fromConnectionString(access.connectionString, insecureOk)
    : new TableServiceClient(`https://${access.accountName}.table.core.windows.net`, access.credential);
}

export function blobServiceClient(access: StorageAccess): BlobServiceClient {
  return access.kind === "connectionString"
    ? BlobServiceClient.fromConnectionString(access.connectionString)
    : new BlobServiceClient(`https://${access.accountName}.blob.core.windows.net`, access.credential);
}

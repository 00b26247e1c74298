import { ComputeManagementClient } from "@azure/arm-compute";
import { NetworkManagementClient } from "@azure/arm-network";
import type { TokenCredential } from "@azure/core-auth";

/** Resource Manager in the public cloud; a sovereign cloud (or a test double) has another address. */
export const publicArmEndpoint = "https://management.azure.com";

export interface ArmClients {
  compute: ComputeManagementClient;
  network: NetworkManagementClient;
  /** Where the clients send requests; calls without an SDK operation are built on it. */
  endpoint: string;
}

export interface ArmClientOptions {
  /** Resource Manager's address; another one only for a sovereign cloud or a test double. */
  endpoint?: string;
  /** PEM to trust for that endpoint's certificate (a test double's self-signed one). */
  caPem?: string;
}

export function armClients(
  credential: TokenCredential,
  subscriptionId: string,
  options: ArmClientOptions = {},
): ArmClients {
  const endpoint = (options.endpoint ?? publicArmEndpoint).replace(/\/+$/, "");
  const shared = {
    endpoint,
    $host: endpoint,
    // Tokens are issued for the cloud's Resource Manager, named by its address.
    credentialScopes: `${endpoint}/.default`,
    ...(options.caPem ? { tlsOptions: { ca: options.caPem } } : {}),
  };
  return {
    compute: new ComputeManagementClient(credential, subscriptionId, shared),
    network: new NetworkManagementClient(credential, subscriptionId, shared),
    endpoint,
  };
}

/** The HTTP status of an SDK RestError (narrowed by shape: the ARM clients bring their own pipeline copy). */
export function statusOf(error: unknown): number | undefined {
  const status = error instanceof Error && "statusCode" in error ? error.statusCode : undefined;
  return typeof status === "number" ? status : undefined;
}

/** The resource if it exists and finished provisioning; so a retried create never PUTs twice. */
export async function existing<T extends { provisioningState?: string }>(
  get: () => Promise<T>,
): Promise<T | undefined> {
  try {
    const found = await get();
    return found.provisioningState === "Succeeded" ? found : undefined;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** Runs a delete; a resource already gone is what was wanted. */
export async function deleted(remove: () => Promise<void>): Promise<void> {
  try {
    await remove();
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
}

/** Reads a resource only to learn that it exists; a 404 becomes the caller's error. */
export async function mustExist(get: () => Promise<unknown>, absent: () => Error): Promise<void> {
  try {
    await get();
  } catch (error) {
    if (statusOf(error) === 404) throw absent();
    throw error;
  }
}

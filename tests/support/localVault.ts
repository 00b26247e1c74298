// The local Key Vault opened from the test process over the tables a host's vault keeps in the test
// Azurite, and Ferry's own services wired to it: to read what the app stored as the app reads it.
import { KeyStore } from "../../devhost/keyvault/keyStore";
import { SecretStore } from "../../devhost/keyvault/secretStore";
import { startLocalKeyVault } from "../../devhost/keyvault/server";
import { readConfig } from "../../shared/config";
import { createServices, type Services } from "../../shared/services";

export interface OpenedVault {
  services: Services;
  stop(): Promise<void>;
}

export async function openLocalVault(storage: string): Promise<OpenedVault> {
  const vault = await startLocalKeyVault(
    await SecretStore.open(storage, "devhostkeyvault"),
    0,
    await KeyStore.open(storage, "devhostkeyvaultkeys"),
  );
  const services = createServices(
    readConfig({
      AzureWebJobsStorage: storage,
      DEVHOST_KEYVAULT_URL: vault.url,
      DEVHOST_KEYVAULT_CA: vault.caPem,
      DEVHOST_KEYVAULT_TOKEN: vault.token,
      FERRY_OPERATOR_KEY: "not-used-here",
    }),
  );
  return { services, stop: () => vault.stop() };
}

/** The forms a 32-byte key could be written in. */
export function keyForms(key: Buffer): Record<string, string> {
  return { hex: key.toString("hex"), base64: key.toString("base64"), base64url: key.toString("base64url") };
}

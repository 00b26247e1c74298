import { SecretClient } from "@azure/keyvault-secrets";
import type { FerryConfig } from "../config";
import { statusOf, vaultAccess } from "./keyVaultAccess";
import type { SecretStore } from "./secretStore";

/** Secrets in Azure Key Vault (or the local host's compatible vault) through the real SDK. */
export class KeyVaultSecretStore implements SecretStore {
  private readonly client: SecretClient;

  constructor(config: FerryConfig["keyVault"]) {
    const { credential, options } = vaultAccess(config);
    this.client = new SecretClient(config.url, credential, options);
  }

  async set(name: string, value: string, options: { abortSignal?: AbortSignal } = {}): Promise<void> {
    await this.client.setSecret(name, value, options);
  }

  async get(name: string, options: { abortSignal?: AbortSignal } = {}): Promise<string | undefined> {
    try {
      return (await this.client.getSecret(name, options)).value;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async remove(name: string, options: { abortSignal?: AbortSignal } = {}): Promise<void> {
    try {
      const poller = await this.client.beginDeleteSecret(name, { ...options, intervalInMs: 50 });
      await poller.pollUntilDone();
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    try {
      await this.client.purgeDeletedSecret(name, options);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  async ping(options: { abortSignal?: AbortSignal } = {}): Promise<boolean> {
    try {
      await this.get("ferry-ping", options);
      return true;
    } catch {
      return false;
    }
  }
}

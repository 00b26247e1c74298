/**
 * Each project's data-encryption key: generated once, kept in Key Vault (one secret per
 * project), named by a table row, and cached in memory for the life of the process.
 */
import { randomBytes } from "node:crypto";
import { isFerryError } from "../../domain/errors";
import { generateDataKey } from "../../security/envelope";
import { type SecretStore, secretName } from "../../storage/secretStore";
import type { Stores } from "../../storage/stores";

export interface DataKeys {
  forProject(projectId: string): Promise<Buffer>;
}

const row = "current";

export class VaultDataKeys implements DataKeys {
  private readonly cache = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly stores: Stores,
    private readonly secrets: SecretStore,
  ) {}

  forProject(projectId: string): Promise<Buffer> {
    let key = this.cache.get(projectId);
    if (key === undefined) {
      key = this.load(projectId);
      key.catch(() => this.cache.delete(projectId));
      this.cache.set(projectId, key);
    }
    return key;
  }

  private async load(projectId: string): Promise<Buffer> {
    await this.stores.ready();
    const named = await this.stores.dataKeys.get(projectId, row);
    if (named) return this.read(named.value.secretName);
    // The secret (data) is written before the row that names it; of two racing creators the row insert picks one.
    const name = secretName("datakey", `${projectId}-${randomBytes(4).toString("hex")}`);
    const key = generateDataKey();
    await this.secrets.set(name, key.toString("base64"));
    try {
      await this.stores.dataKeys.insert(projectId, row, { secretName: name, createdAt: new Date().toISOString() });
      return key;
    } catch (error) {
      if (!isFerryError(error) || error.code !== "AlreadyExists") throw error;
      await this.secrets.remove(name);
      const winner = await this.stores.dataKeys.get(projectId, row);
      if (!winner) throw error;
      return this.read(winner.value.secretName);
    }
  }

  private async read(name: string): Promise<Buffer> {
    const value = await this.secrets.get(name);
    if (value === undefined) throw new Error(`The data key secret ${name} is missing from the vault.`);
    return Buffer.from(value, "base64");
  }
}

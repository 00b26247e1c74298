/**
 * Each project's data-encryption key: generated once, wrapped by the key-encryption key, and only
 * the wrapped form kept (a table row, docs/data-path.md §3); unwrapped on first use in a process and
 * cached in memory. A row from before wrapping (it names a vault secret holding the key itself) is
 * upgraded in place: wrapped, then the secret purged — each step safe to repeat after a crash.
 */
import { isFerryError } from "../../domain/errors";
import { createDataKey, type KeyWrapper, type WrappedKey } from "../../security/keyWrapper";
import type { DataKeyRow } from "../../storage/rows";
import type { SecretStore } from "../../storage/secretStore";
import type { Stores } from "../../storage/stores";
import type { Versioned } from "../../storage/tableStore";

export interface DataKeys {
  forProject(projectId: string): Promise<Buffer>;
  /** Brings every row from before wrapping to the wrapped form; how many it upgraded. */
  upgradeAll(): Promise<number>;
}

const row = "current";

/** Says what an upgrade did, one line each (the host log). */
export type UpgradeLog = (message: string) => void;

function wrappedOf(value: DataKeyRow): WrappedKey | undefined {
  const { wrappingKeyId, wrapAlgorithm, wrapped } = value;
  return wrappingKeyId && wrapAlgorithm && wrapped
    ? { keyId: wrappingKeyId, algorithm: wrapAlgorithm, wrapped }
    : undefined;
}

export class VaultDataKeys implements DataKeys {
  private readonly cache = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly stores: Stores,
    private readonly secrets: SecretStore,
    private readonly wrapper: KeyWrapper,
    private readonly log: UpgradeLog = () => undefined,
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

  async upgradeAll(): Promise<number> {
    await this.stores.ready();
    let upgraded = 0;
    for await (const found of this.stores.dataKeys.all()) {
      if (found.rowKey !== row || (!found.value.secretName && !found.value.retiredSecretName)) continue;
      if ((await this.settle(found.partitionKey, found)).upgradedNow) upgraded += 1;
    }
    return upgraded;
  }

  private async load(projectId: string): Promise<Buffer> {
    await this.stores.ready();
    const found = await this.stores.dataKeys.get(projectId, row);
    if (found) return (await this.settle(projectId, found)).key;
    // Of two racing creators the row insert picks one; the loser unwraps the winner's key.
    const { dataKey, wrapped } = await createDataKey(this.wrapper);
    try {
      await this.stores.dataKeys.insert(projectId, row, {
        wrappingKeyId: wrapped.keyId,
        wrapAlgorithm: wrapped.algorithm,
        wrapped: wrapped.wrapped,
        createdAt: new Date().toISOString(),
      });
      return dataKey;
    } catch (error) {
      if (!isFerryError(error) || error.code !== "AlreadyExists") throw error;
      const winner = await this.stores.dataKeys.get(projectId, row);
      if (!winner) throw error;
      return (await this.settle(projectId, winner)).key;
    }
  }

  /** The key of a row in any of its forms, bringing the row to the wrapped form on the way. */
  private async settle(
    projectId: string,
    found: Versioned<DataKeyRow>,
  ): Promise<{ key: Buffer; upgradedNow: boolean }> {
    let current = found;
    let upgradedNow = false;
    if (current.value.secretName !== undefined) {
      const next = await this.wrapRow(projectId, current);
      if (next === undefined) return this.settle(projectId, await this.reread(projectId));
      current = next;
      upgradedNow = true;
    }
    const wrapped = wrappedOf(current.value);
    if (wrapped === undefined) throw new Error(`The data key row of project ${projectId} holds no wrapped key.`);
    const key = await this.wrapper.unwrapKey(wrapped);
    const retired = current.value.retiredSecretName;
    if (retired !== undefined) await this.purgeRetired(projectId, current);
    if (upgradedNow)
      this.log(
        `Data key of project ${projectId} upgraded: now kept wrapped by ${wrapped.keyId} (${wrapped.algorithm}); ` +
          `the vault secret ${retired} that held it unwrapped is purged.`,
      );
    return { key, upgradedNow };
  }

  /** Step 1: the row takes the wrapped key under its ETag; undefined when another writer got there first. */
  private async wrapRow(projectId: string, found: Versioned<DataKeyRow>): Promise<Versioned<DataKeyRow> | undefined> {
    const name = found.value.secretName as string;
    const raw = await this.secrets.get(name);
    if (raw === undefined) throw new Error(`The data key secret ${name} is missing from the vault.`);
    const wrapped = await this.wrapper.wrapKey(Buffer.from(raw, "base64"));
    const value: DataKeyRow = {
      wrappingKeyId: wrapped.keyId,
      wrapAlgorithm: wrapped.algorithm,
      wrapped: wrapped.wrapped,
      retiredSecretName: name,
      createdAt: found.value.createdAt,
      upgradedAt: new Date().toISOString(),
    };
    try {
      const etag = await this.stores.dataKeys.replace(projectId, row, value, found.etag);
      return { value, etag };
    } catch (error) {
      if (isFerryError(error) && error.code === "PreconditionFailed") return undefined;
      throw error;
    }
  }

  /** Step 2: the secret that held the key unwrapped goes (deleted and purged), then the row forgets it. */
  private async purgeRetired(projectId: string, found: Versioned<DataKeyRow>): Promise<void> {
    await this.secrets.remove(found.value.retiredSecretName as string);
    const { retiredSecretName: _gone, ...value } = found.value;
    try {
      await this.stores.dataKeys.replace(projectId, row, value, found.etag);
    } catch (error) {
      if (!isFerryError(error) || error.code !== "PreconditionFailed") throw error;
    }
  }

  private async reread(projectId: string): Promise<Versioned<DataKeyRow>> {
    const found = await this.stores.dataKeys.get(projectId, row);
    if (!found) throw new Error(`The data key row of project ${projectId} disappeared.`);
    return found;
  }
}

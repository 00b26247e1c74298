import { CryptographyClient, KeyClient, parseKeyVaultKeyIdentifier, type KeyVaultKey } from "@azure/keyvault-keys";
import type { FerryConfig } from "../config";
import { errors } from "../domain/errors";
import type { KeyWrapper, WrappedKey } from "../security/keyWrapper";
import { statusOf, vaultAccess } from "./keyVaultAccess";

/** RSA-OAEP with SHA-256: what Key Vault Standard offers for wrapping with a software RSA key. */
export const wrapAlgorithm = "RSA-OAEP-256";

/**
 * Data keys wrapped by a key-encryption key that never leaves Key Vault (`wrapKey` / `unwrapKey`
 * through `@azure/keyvault-keys`). A wrapped key names the key version that wrapped it, so one made
 * before the key-encryption key is rotated still unwraps.
 */
export class KeyVaultKeyWrapper implements KeyWrapper {
  private readonly access: ReturnType<typeof vaultAccess>;
  private readonly keys: KeyClient;
  private current: Promise<CryptographyClient> | undefined;
  private readonly versions = new Map<string, CryptographyClient>();

  constructor(
    private readonly config: FerryConfig["keyVault"],
    private readonly keyName: string,
  ) {
    this.access = vaultAccess(config);
    this.keys = new KeyClient(config.url, this.access.credential, this.access.options);
  }

  async wrapKey(dataKey: Buffer, options: { abortSignal?: AbortSignal } = {}): Promise<WrappedKey> {
    this.current ??= this.currentKey();
    this.current.catch(() => {
      this.current = undefined;
    });
    const crypto = await this.current;
    const result = await crypto.wrapKey(wrapAlgorithm, dataKey, options);
    return { keyId: result.keyID ?? crypto.keyID ?? "", algorithm: wrapAlgorithm, wrapped: base64(result.result) };
  }

  async unwrapKey(wrapped: WrappedKey, options: { abortSignal?: AbortSignal } = {}): Promise<Buffer> {
    if (wrapped.algorithm !== wrapAlgorithm) throw errors.keyUnwrapFailed(wrapped.keyId);
    try {
      const result = await this.clientFor(wrapped.keyId).unwrapKey(
        wrapAlgorithm,
        Buffer.from(wrapped.wrapped, "base64"),
        options,
      );
      return Buffer.from(result.result);
    } catch (error) {
      // The vault answers 400 for a value its key did not wrap, 404 for a key version it does not hold.
      if (statusOf(error) === 400 || statusOf(error) === 404) throw errors.keyUnwrapFailed(wrapped.keyId);
      throw error;
    }
  }

  /** The key-encryption key's newest version; made on first use where the deployment did not make it. */
  private async currentKey(): Promise<CryptographyClient> {
    let key: KeyVaultKey;
    try {
      key = await this.keys.getKey(this.keyName);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      key = await this.keys.createRsaKey(this.keyName, { keySize: 3072, keyOps: ["wrapKey", "unwrapKey"] });
    }
    return new CryptographyClient(key, this.access.credential, this.access.options);
  }

  /** The key version a wrapped key names, in this deployment's vault (the local vault's port changes). */
  private clientFor(keyId: string): CryptographyClient {
    const { name, version } = parseKeyVaultKeyIdentifier(keyId);
    const id = `${this.config.url.replace(/\/?$/, "/")}keys/${name}/${version ?? ""}`;
    let client = this.versions.get(id);
    if (client === undefined) {
      client = new CryptographyClient(id, this.access.credential, this.access.options);
      this.versions.set(id, client);
    }
    return client;
  }
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

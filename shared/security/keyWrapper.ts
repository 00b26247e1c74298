/**
 * Wrapping of a project's data-encryption key by a key-encryption key. Key Vault implements
 * this in shared/storage (wrapKey/unwrapKey); the local wrapper serves tests and the dev host.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { errors } from "../domain/errors";
import { DATA_KEY_BYTES, generateDataKey } from "./envelope";

/** What a table row stores: never the DEK itself. */
export interface WrappedKey {
  keyId: string;
  algorithm: string;
  /** Base64 of the wrapped key bytes. */
  wrapped: string;
}

export interface KeyWrapper {
  wrapKey(dataKey: Buffer, options?: { abortSignal?: AbortSignal }): Promise<WrappedKey>;
  /** Throws KeyUnwrapFailed when the wrapped key was not made by this key or was altered. */
  unwrapKey(wrapped: WrappedKey, options?: { abortSignal?: AbortSignal }): Promise<Buffer>;
}

const LOCAL_ALGORITHM = "A256GCM";

/** AES-256-GCM with the key id as associated data: layout nonce (12) | wrapped DEK (32) | tag (16). */
export class LocalKeyWrapper implements KeyWrapper {
  constructor(
    private readonly keyId: string,
    private readonly keyEncryptionKey: Buffer,
  ) {
    if (keyEncryptionKey.length !== 32)
      throw errors.invalidInput("A local key-encryption key has 32 bytes.", "keyEncryptionKey");
  }

  async wrapKey(dataKey: Buffer): Promise<WrappedKey> {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.keyEncryptionKey, nonce);
    cipher.setAAD(Buffer.from(this.keyId, "utf8"));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    const wrapped = Buffer.concat([nonce, body, cipher.getAuthTag()]);
    return { keyId: this.keyId, algorithm: LOCAL_ALGORITHM, wrapped: wrapped.toString("base64") };
  }

  async unwrapKey(wrapped: WrappedKey): Promise<Buffer> {
    const bytes = Buffer.from(wrapped.wrapped, "base64");
    if (
      wrapped.keyId !== this.keyId ||
      wrapped.algorithm !== LOCAL_ALGORITHM ||
      bytes.length !== 12 + DATA_KEY_BYTES + 16
    ) {
      throw errors.keyUnwrapFailed(wrapped.keyId);
    }
    const decipher = createDecipheriv("aes-256-gcm", this.keyEncryptionKey, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(this.keyId, "utf8"));
    decipher.setAuthTag(bytes.subarray(12 + DATA_KEY_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(12, 12 + DATA_KEY_BYTES)), decipher.final()]);
    } catch {
      throw errors.keyUnwrapFailed(wrapped.keyId);
    }
  }
}

/** A fresh DEK for a new project, with the wrapped form its row stores. */
export async function createDataKey(wrapper: KeyWrapper): Promise<{ dataKey: Buffer; wrapped: WrappedKey }> {
  const dataKey = generateDataKey();
  return { dataKey, wrapped: await wrapper.wrapKey(dataKey) };
}

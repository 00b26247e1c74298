// The local host's Key Vault speaks Key Vault's key operations to the unmodified SDK: create an RSA key,
// read its public part, wrap and unwrap with it (the private key never leaves the vault), and keep
// the key across restarts in its Azurite table.
import { randomBytes } from "node:crypto";
import type { AccessToken } from "@azure/core-auth";
import { CryptographyClient, KeyClient } from "@azure/keyvault-keys";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { KeyStore } from "../../devhost/keyvault/keyStore";
import { SecretStore } from "../../devhost/keyvault/secretStore";
import { startLocalKeyVault, type LocalKeyVault } from "../../devhost/keyvault/server";
import { KeyVaultKeyWrapper } from "../../shared/storage/keyVaultKeys";

const storage = inject("storageConnectionString");
const table = `vaultkeys${randomBytes(4).toString("hex")}`;
let vault: LocalKeyVault;

async function openVault(): Promise<LocalKeyVault> {
  return startLocalKeyVault(await SecretStore.open(storage, `${table}s`), 0, await KeyStore.open(storage, table));
}

function clientsOf(v: LocalKeyVault) {
  const credential = {
    getToken: async (): Promise<AccessToken> => ({ token: v.token, expiresOnTimestamp: Date.now() + 60_000 }),
  };
  const options = { disableChallengeResourceVerification: true, tlsOptions: { ca: v.caPem } };
  return {
    keys: new KeyClient(v.url, credential, options),
    crypto: (id: string) => new CryptographyClient(id, credential, options),
  };
}

beforeAll(async () => {
  vault = await openVault();
});
afterAll(async () => {
  await vault?.stop();
});

describe("the local Key Vault's keys", () => {
  it("creates an RSA key and shows only its public part", async () => {
    const { keys } = clientsOf(vault);
    const created = await keys.createRsaKey("wrapping", { keySize: 3072, keyOps: ["wrapKey", "unwrapKey"] });
    expect(created.id).toMatch(new RegExp(`^${vault.url}keys/wrapping/[0-9a-f]{32}$`));
    expect(created.key?.n?.length).toBe(384);
    expect(created.key?.d).toBeUndefined();
    expect((await keys.getKey("wrapping")).id).toBe(created.id);
  });

  it.each(["RSA-OAEP-256", "RSA-OAEP"] as const)("wraps and unwraps a key with %s", async (algorithm) => {
    const { keys, crypto } = clientsOf(vault);
    const key = await keys.createRsaKey(`wrap-${algorithm.toLowerCase()}`, { keyOps: ["wrapKey", "unwrapKey"] });
    const secret = randomBytes(32);
    const wrapped = await crypto(key.id!).wrapKey(algorithm, secret);
    expect(Buffer.from(wrapped.result).equals(secret)).toBe(false);
    const unwrapped = await crypto(key.id!).unwrapKey(algorithm, wrapped.result);
    expect(Buffer.from(unwrapped.result).equals(secret)).toBe(true);
  });

  it("answers 400 for a value its key did not wrap and 404 for a key it does not hold", async () => {
    const { keys, crypto } = clientsOf(vault);
    const key = await keys.createRsaKey("strict", { keyOps: ["wrapKey", "unwrapKey"] });
    const wrapped = Buffer.from((await crypto(key.id!).wrapKey("RSA-OAEP-256", randomBytes(32))).result);
    wrapped[10] ^= 0xff;
    await expect(crypto(key.id!).unwrapKey("RSA-OAEP-256", wrapped)).rejects.toMatchObject({ statusCode: 400 });
    await expect(keys.getKey("no-such-key")).rejects.toMatchObject({ statusCode: 404 });
  });

  it("keeps its keys across a restart, at a new address", async () => {
    const { keys, crypto } = clientsOf(vault);
    const key = await keys.createRsaKey("lasting", { keyOps: ["wrapKey", "unwrapKey"] });
    const secret = randomBytes(32);
    const wrapped = (await crypto(key.id!).wrapKey("RSA-OAEP-256", secret)).result;
    const version = key.id!.split("/").pop()!;
    const restarted = await openVault();
    try {
      const unwrapped = await clientsOf(restarted)
        .crypto(`${restarted.url}keys/lasting/${version}`)
        .unwrapKey("RSA-OAEP-256", wrapped);
      expect(Buffer.from(unwrapped.result).equals(secret)).toBe(true);
    } finally {
      await restarted.stop();
    }
  });
});

describe("Ferry's key wrapper on the vault", () => {
  const config = () => ({
    url: vault.url,
    caPem: vault.caPem,
    localToken: vault.token,
    keyEncryptionKey: "ferry-test-kek",
  });

  it("makes its key-encryption key on first use and unwraps what it wrapped", async () => {
    const wrapper = new KeyVaultKeyWrapper(config(), "ferry-test-kek");
    const dataKey = randomBytes(32);
    const wrapped = await wrapper.wrapKey(dataKey);
    expect(wrapped.algorithm).toBe("RSA-OAEP-256");
    expect(wrapped.keyId).toMatch(/\/keys\/ferry-test-kek\/[0-9a-f]{32}$/);
    expect((await new KeyVaultKeyWrapper(config(), "ferry-test-kek").unwrapKey(wrapped)).equals(dataKey)).toBe(true);
  });

  it("refuses an altered wrapped key with KeyUnwrapFailed", async () => {
    const wrapper = new KeyVaultKeyWrapper(config(), "ferry-test-kek");
    const wrapped = await wrapper.wrapKey(randomBytes(32));
    const bytes = Buffer.from(wrapped.wrapped, "base64");
    bytes[0] ^= 1;
    await expect(wrapper.unwrapKey({ ...wrapped, wrapped: bytes.toString("base64") })).rejects.toMatchObject({
      code: "KeyUnwrapFailed",
    });
  });
});

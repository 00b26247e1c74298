import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  chunkAad,
  decryptChunk,
  encryptChunk,
  generateDataKey,
  SEALED_OVERHEAD_BYTES,
  type ChunkContext,
} from "../../shared/security/envelope";
import { createDataKey, LocalKeyWrapper } from "../../shared/security/keyWrapper";

const context: ChunkContext = {
  projectId: "p1",
  itemId: "item-1",
  diskId: "disk-0",
  offset: 4 * 1024 * 1024,
  version: 7,
};

function integrityCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe("chunk envelope encryption", () => {
  const key = generateDataKey();
  const plaintext = randomBytes(64 * 1024);
  const sealed = encryptChunk(key, context, plaintext);

  it("opens what it sealed, adding only the version, nonce and tag", () => {
    expect(sealed.length).toBe(plaintext.length + SEALED_OVERHEAD_BYTES);
    expect(decryptChunk(key, context, sealed)).toEqual(plaintext);
  });

  it("uses a fresh nonce for every chunk", () => {
    expect(encryptChunk(key, context, plaintext).subarray(1, 13)).not.toEqual(sealed.subarray(1, 13));
  });

  it.each([
    ["the ciphertext", 100],
    ["the nonce", 5],
    ["the tag", -1],
    ["the format version", 0],
  ])("refuses a chunk with a flipped byte in %s", (_, at) => {
    const tampered = Buffer.from(sealed);
    const index = at < 0 ? tampered.length + at : at;
    tampered[index] = (tampered[index] as number) ^ 1;
    expect(integrityCode(() => decryptChunk(key, context, tampered))).toBe("ChunkIntegrityFailed");
  });

  it.each([
    ["another project", { projectId: "p2" }],
    ["another item", { itemId: "item-2" }],
    ["another disk", { diskId: "disk-1" }],
    ["another offset", { offset: context.offset + 4096 }],
    ["another chunk version", { version: 6 }],
  ])("refuses a chunk read as if it belonged to %s", (_, change) => {
    expect(integrityCode(() => decryptChunk(key, { ...context, ...change }, sealed))).toBe("ChunkIntegrityFailed");
  });

  it("refuses a chunk opened with another key, or cut short", () => {
    expect(integrityCode(() => decryptChunk(generateDataKey(), context, sealed))).toBe("ChunkIntegrityFailed");
    expect(integrityCode(() => decryptChunk(key, context, sealed.subarray(0, 20)))).toBe("ChunkIntegrityFailed");
  });

  it("encodes contexts unambiguously, so shifting characters between ids changes the associated data", () => {
    const a = chunkAad({ ...context, projectId: "ab", itemId: "c" });
    const b = chunkAad({ ...context, projectId: "a", itemId: "bc" });
    expect(a).not.toEqual(b);
  });
});

describe("local key wrapping", () => {
  const wrapper = new LocalKeyWrapper("kek-1", randomBytes(32));

  it("unwraps the data key it wrapped, and stores no plain key", async () => {
    const { dataKey, wrapped } = await createDataKey(wrapper);
    expect(Buffer.from(wrapped.wrapped, "base64").includes(dataKey)).toBe(false);
    expect(await wrapper.unwrapKey(wrapped)).toEqual(dataKey);
  });

  it("refuses a tampered wrapped key or one from another key-encryption key", async () => {
    const { wrapped } = await createDataKey(wrapper);
    const bytes = Buffer.from(wrapped.wrapped, "base64");
    bytes[20] = (bytes[20] as number) ^ 1;
    await expect(wrapper.unwrapKey({ ...wrapped, wrapped: bytes.toString("base64") })).rejects.toMatchObject({
      code: "KeyUnwrapFailed",
    });
    const other = new LocalKeyWrapper("kek-1", randomBytes(32));
    await expect(other.unwrapKey(wrapped)).rejects.toMatchObject({ code: "KeyUnwrapFailed" });
    await expect(wrapper.unwrapKey({ ...wrapped, keyId: "kek-2" })).rejects.toMatchObject({ code: "KeyUnwrapFailed" });
  });
});

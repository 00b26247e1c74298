/**
 * Envelope encryption of stored disk data: one AES-256-GCM data-encryption key (DEK) per
 * project, wrapped by a key-encryption key (keyWrapper.ts). Each sealed chunk's associated
 * data names project, item, disk, offset and chunk version, so a chunk moved to another place
 * or replayed from an older version fails to open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { errors } from "../domain/errors";

export const CHUNK_FORMAT_VERSION = 1;
export const DATA_KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Bytes a sealed chunk adds: format version, nonce, tag. */
export const SEALED_OVERHEAD_BYTES = 1 + NONCE_BYTES + TAG_BYTES;
const AAD_LABEL = Buffer.from("ferry.chunk", "ascii");

export interface ChunkContext {
  projectId: string;
  itemId: string;
  diskId: string;
  /** Byte offset of the chunk on its disk. */
  offset: number;
  /** Generation of the bytes at this offset (e.g. the batch sequence that wrote them). */
  version: number;
}

export function generateDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

/** Length-prefixed fields, so no two contexts encode to the same bytes. */
export function chunkAad(context: ChunkContext, formatVersion = CHUNK_FORMAT_VERSION): Buffer {
  const ids = [context.projectId, context.itemId, context.diskId].map((id) => Buffer.from(id, "utf8"));
  const parts: Buffer[] = [AAD_LABEL, Buffer.from([formatVersion])];
  for (const id of ids) parts.push(u16(id.length), id);
  const numbers = Buffer.alloc(16);
  numbers.writeBigUInt64LE(BigInt(context.offset), 0);
  numbers.writeBigUInt64LE(BigInt(context.version), 8);
  parts.push(numbers);
  return Buffer.concat(parts);
}

/** Layout: format version (1) | random nonce (12) | ciphertext | GCM tag (16). */
export function encryptChunk(dataKey: Buffer, context: ChunkContext, plaintext: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", dataKey, nonce);
  cipher.setAAD(chunkAad(context));
  const body = cipher.update(plaintext);
  cipher.final();
  return Buffer.concat([Buffer.from([CHUNK_FORMAT_VERSION]), nonce, body, cipher.getAuthTag()]);
}

/** Throws ChunkIntegrityFailed for any tampering or a context that differs from sealing. */
export function decryptChunk(dataKey: Buffer, context: ChunkContext, sealed: Buffer): Buffer {
  if (sealed.length < SEALED_OVERHEAD_BYTES || sealed[0] !== CHUNK_FORMAT_VERSION) throw errors.chunkIntegrityFailed();
  const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", dataKey, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(chunkAad(context));
  decipher.setAuthTag(tag);
  const plaintext = decipher.update(sealed.subarray(1 + NONCE_BYTES, sealed.length - TAG_BYTES));
  try {
    decipher.final();
  } catch {
    throw errors.chunkIntegrityFailed();
  }
  return plaintext;
}

function u16(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16LE(value, 0);
  return out;
}

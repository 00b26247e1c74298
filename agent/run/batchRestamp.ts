/**
 * Gives a spooled batch a new header (another sequence after a SequenceGap, or the flags of the
 * cycle's last batch) without decoding it: the extent records are copied as they are and only
 * the trailer digest is recomputed, since it covers the header too.
 */
import { createHash } from "node:crypto";
import { open, rename } from "node:fs/promises";
import {
  DIGEST_BYTES,
  encodeHeader,
  HEADER_CRC_BYTES,
  HEADER_FIXED_BYTES,
  type BatchHeader,
} from "../../shared/replication/wire";
import type { SpooledBatch } from "./batchSpool";

const COPY_BYTES = 1024 * 1024;

export async function restampBatch(batch: SpooledBatch, header: BatchHeader): Promise<SpooledBatch> {
  const temp = `${batch.file}.restamp`;
  const source = await open(batch.file, "r");
  const target = await open(temp, "w", 0o600);
  const trailerHash = createHash("sha256");
  const fileHash = createHash("sha256");
  const emit = async (bytes: Buffer): Promise<void> => {
    fileHash.update(bytes);
    await target.write(bytes, 0, bytes.length);
  };
  try {
    const oldHeaderBytes = await headerLength(source);
    const newHeader = encodeHeader(header);
    trailerHash.update(newHeader);
    await emit(newHeader);
    const bodyEnd = batch.fileBytes - DIGEST_BYTES;
    const buffer = Buffer.allocUnsafe(COPY_BYTES);
    for (let at = oldHeaderBytes; at < bodyEnd;) {
      const { bytesRead } = await source.read(buffer, 0, Math.min(COPY_BYTES, bodyEnd - at), at);
      if (bytesRead === 0) throw new Error(`Spooled batch ${batch.file} is shorter than recorded.`);
      const piece = buffer.subarray(0, bytesRead);
      trailerHash.update(piece);
      await emit(piece);
      at += bytesRead;
    }
    const trailer = trailerHash.digest();
    await emit(trailer);
    await rename(temp, batch.file);
    const fileBytes = batch.fileBytes - oldHeaderBytes + newHeader.length;
    return { ...batch, header, fileBytes, fileSha256: fileHash.digest("hex"), trailerSha256: trailer.toString("hex") };
  } finally {
    await source.close();
    await target.close();
  }
}

async function headerLength(source: Awaited<ReturnType<typeof open>>): Promise<number> {
  const fixed = Buffer.alloc(HEADER_FIXED_BYTES);
  await source.read(fixed, 0, HEADER_FIXED_BYTES, 0);
  return HEADER_FIXED_BYTES + fixed.readUInt8(24) + fixed.readUInt8(25) + HEADER_CRC_BYTES;
}

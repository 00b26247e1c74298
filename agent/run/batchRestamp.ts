/**
 * Gives a spooled batch a new header (another sequence after a SequenceGap, or the flags of the
 * cycle's last batch) without decoding it. The header keeps its length (the same machine and
 * disk), so it is rewritten in place and only the trailer digest, which covers it, is
 * recomputed: a restamp needs no second copy of the batch in the state directory. A restamp cut
 * short leaves a torn file, which the pass deletes; spool files never outlive a run.
 */
import { createHash } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";
import {
  DIGEST_BYTES,
  encodeHeader,
  HEADER_CRC_BYTES,
  HEADER_FIXED_BYTES,
  type BatchHeader,
} from "../../shared/replication/wire";
import type { SpooledBatch } from "./batchSpool";

const READ_BYTES = 1024 * 1024;

export async function restampBatch(batch: SpooledBatch, header: BatchHeader): Promise<SpooledBatch> {
  const file = await open(batch.file, "r+");
  try {
    const newHeader = encodeHeader(header);
    const oldHeaderBytes = await headerLength(file);
    if (newHeader.length !== oldHeaderBytes)
      throw new Error(`A restamp must keep the header's length (${oldHeaderBytes} bytes, not ${newHeader.length}).`);
    await writeAll(file, newHeader, 0);
    const trailerHash = createHash("sha256").update(newHeader);
    const fileHash = createHash("sha256").update(newHeader);
    const bodyEnd = batch.fileBytes - DIGEST_BYTES;
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    for (let at = oldHeaderBytes; at < bodyEnd;) {
      const { bytesRead } = await file.read(buffer, 0, Math.min(READ_BYTES, bodyEnd - at), at);
      if (bytesRead === 0) throw new Error(`Spooled batch ${batch.file} is shorter than recorded.`);
      trailerHash.update(buffer.subarray(0, bytesRead));
      fileHash.update(buffer.subarray(0, bytesRead));
      at += bytesRead;
    }
    const trailer = trailerHash.digest();
    await writeAll(file, trailer, bodyEnd);
    fileHash.update(trailer);
    return { ...batch, header, fileSha256: fileHash.digest("hex"), trailerSha256: trailer.toString("hex") };
  } finally {
    await file.close();
  }
}

async function headerLength(file: FileHandle): Promise<number> {
  const fixed = Buffer.alloc(HEADER_FIXED_BYTES);
  await file.read(fixed, 0, HEADER_FIXED_BYTES, 0);
  return HEADER_FIXED_BYTES + fixed.readUInt8(24) + fixed.readUInt8(25) + HEADER_CRC_BYTES;
}

async function writeAll(file: FileHandle, bytes: Buffer, position: number): Promise<void> {
  for (let done = 0; done < bytes.length;) {
    const { bytesWritten } = await file.write(bytes, done, bytes.length - done, position + done);
    if (bytesWritten === 0) throw new Error("The spool file took no bytes of a write.");
    done += bytesWritten;
  }
}

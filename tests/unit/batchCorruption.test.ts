import { describe, expect, it } from "vitest";
import { crc32 } from "node:zlib";
import { AdaptiveCompressor, encodeHeader, HEADER_FIXED_BYTES, RECORD_BYTES } from "../../shared/replication/wire";
import { decodeFailure, encodeToBuffer, header, randomExtents, resealed } from "./batchTestKit";

const headerBytes = encodeHeader(header).length;

async function sample(): Promise<Buffer> {
  return encodeToBuffer(randomExtents(), { compressor: new AdaptiveCompressor() });
}

function flipped(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] as number) ^ 0x40;
  return copy;
}

/** Byte positions of each record in a sample batch, walking the stored lengths. */
function recordStarts(bytes: Buffer): number[] {
  const starts: number[] = [];
  for (let at = headerBytes; at < bytes.length - 32; at += RECORD_BYTES + bytes.readUInt32LE(at + 4)) starts.push(at);
  return starts;
}

describe("change batch corruption", () => {
  it("reports a flipped data byte as an extent checksum mismatch", async () => {
    const bytes = await sample();
    const raw = recordStarts(bytes)[2] as number;
    expect(bytes[raw + 1]).toBe(0);
    expect(await decodeFailure(flipped(bytes, raw + RECORD_BYTES + 100))).toBe("ExtentChecksumMismatch");
  });

  it("reports a flipped byte in compressed data as an extent checksum mismatch", async () => {
    const bytes = await sample();
    const compressed = headerBytes;
    expect(bytes[compressed + 1]).toBe(1);
    expect(await decodeFailure(flipped(bytes, compressed + RECORD_BYTES + 20))).toBe("ExtentChecksumMismatch");
  });

  it("reports a flipped byte in an extent checksum as a record checksum mismatch", async () => {
    const bytes = await sample();
    expect(await decodeFailure(flipped(bytes, headerBytes + 24))).toBe("BatchChecksumMismatch");
  });

  it("reports a wrong data checksum in a self-consistent record as an extent checksum mismatch", async () => {
    const bytes = Buffer.from(await sample());
    bytes.writeUInt32LE((bytes.readUInt32LE(headerBytes + 24) ^ 1) >>> 0, headerBytes + 24);
    bytes.writeUInt32LE(crc32(bytes.subarray(headerBytes, headerBytes + 28)), headerBytes + 28);
    expect(await decodeFailure(bytes)).toBe("ExtentChecksumMismatch");
  });

  it("catches consistent-looking edits with the trailer digest", async () => {
    const bytes = Buffer.from(await sample());
    const record = recordStarts(bytes)[2] as number;
    const data = record + RECORD_BYTES;
    bytes[data] = (bytes[data] as number) ^ 1;
    bytes.writeUInt32LE(crc32(bytes.subarray(data, data + 4096)), record + 24);
    bytes.writeUInt32LE(crc32(bytes.subarray(record, record + 28)), record + 28);
    expect(await decodeFailure(bytes)).toBe("BatchChecksumMismatch");
  });

  it("reports a flipped trailer byte, in the end record or the digest, as a batch checksum mismatch", async () => {
    const bytes = await sample();
    expect(await decodeFailure(flipped(bytes, bytes.length - 1))).toBe("BatchChecksumMismatch");
    expect(await decodeFailure(flipped(bytes, bytes.length - 32 - 20))).toBe("BatchChecksumMismatch");
  });

  it("reports header damage by its kind", async () => {
    const bytes = await sample();
    expect(await decodeFailure(flipped(bytes, 0))).toBe("BatchBadMagic");
    expect(await decodeFailure(flipped(bytes, 4))).toBe("BatchUnsupportedVersion");
    expect(await decodeFailure(flipped(bytes, 8))).toBe("BatchChecksumMismatch");
    expect(await decodeFailure(flipped(bytes, HEADER_FIXED_BYTES + 2))).toBe("BatchChecksumMismatch");
  });

  it("reports a batch cut at any byte, structural boundaries included, as truncated", async () => {
    const bytes = await encodeToBuffer(randomExtents().slice(0, 3));
    const boundaries = [
      0,
      4,
      HEADER_FIXED_BYTES,
      headerBytes,
      ...recordStarts(bytes).flatMap((at) => [at, at + RECORD_BYTES]),
      bytes.length - 32,
      bytes.length - 1,
    ];
    const everyByte = Array.from({ length: 600 }, (_, i) => i * Math.floor(bytes.length / 600));
    for (const cut of new Set([...boundaries, ...everyByte])) {
      expect(await decodeFailure(bytes.subarray(0, cut)), `cut at ${cut}`).toBe("BatchTruncated");
    }
  });

  it("refuses bytes after the trailer", async () => {
    const bytes = await sample();
    expect(await decodeFailure(Buffer.concat([bytes, Buffer.from([0])]))).toBe("BatchMalformed");
  });

  it("refuses an end record whose counts disagree with the extents, even when resealed", async () => {
    const bytes = Buffer.from(await sample());
    const end = bytes.length - 32 - RECORD_BYTES;
    bytes.writeBigUInt64LE(5n, end + 8);
    bytes.writeUInt32LE(crc32(bytes.subarray(end, end + 28)), end + 28);
    expect(await decodeFailure(resealed(bytes))).toBe("BatchMalformed");
  });
});

import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CODEC, encodeHeader, encodeRecord, EXTENT_KIND, type ExtentRecord } from "../../shared/replication/wire";
import { DISK_BYTES, decodeFailure, encodeToBuffer, header } from "./batchTestKit";
import { crc32 } from "node:zlib";

/** A hand-built batch, for shapes the encoder refuses to make. */
function craft(records: Array<ExtentRecord & { payload?: Buffer }>, flags = 0): Buffer {
  const head = encodeHeader(header);
  if (flags !== 0) {
    head.writeUInt16LE(flags, 6);
    head.writeUInt32LE(crc32(head.subarray(0, head.length - 4)), head.length - 4);
  }
  const parts = [head];
  for (const record of records) parts.push(encodeRecord(record), record.payload ?? Buffer.alloc(0));
  const covered = records.reduce((sum, record) => sum + record.length, 0);
  parts.push(
    encodeRecord({
      kind: EXTENT_KIND.end,
      codec: CODEC.none,
      storedLength: 0,
      offset: records.length,
      length: covered,
      dataCrc: 0,
    }),
  );
  const body = Buffer.concat(parts);
  return Buffer.concat([body, createHash("sha256").update(body).digest()]);
}

function dataRecord(offset: number, payload: Buffer): ExtentRecord & { payload: Buffer } {
  return {
    kind: EXTENT_KIND.data,
    codec: CODEC.none,
    storedLength: payload.length,
    offset,
    length: payload.length,
    dataCrc: crc32(payload),
    payload,
  };
}

function zeroRecord(offset: number, length: number): ExtentRecord {
  return { kind: EXTENT_KIND.zero, codec: CODEC.none, storedLength: 0, offset, length, dataCrc: 0 };
}

describe("change batch limits", () => {
  it("accepts a hand-built batch, so the refusals below are about their one defect", async () => {
    expect(await encodeToBuffer([{ kind: "zero", offset: 0, length: 8 }])).toEqual(craft([zeroRecord(0, 8)]));
  });

  it("refuses a data extent longer than the extent limit", async () => {
    const bytes = craft([dataRecord(0, randomBytes(8192))]);
    expect(await decodeFailure(bytes, { maxExtentBytes: 4096 })).toBe("ExtentTooLarge");
  });

  it("refuses a body over the batch limit as soon as it passes it", async () => {
    const bytes = craft([dataRecord(0, randomBytes(200_000))]);
    expect(await decodeFailure(bytes, { maxBatchBytes: 100_000 })).toBe("BatchTooLarge");
  });

  it("refuses more extents than allowed", async () => {
    const bytes = craft([zeroRecord(0, 1), zeroRecord(1, 1), zeroRecord(2, 1)]);
    expect(await decodeFailure(bytes, { maxExtents: 2 })).toBe("BatchTooLarge");
  });

  it("refuses an extent that ends beyond the disk, even by one byte", async () => {
    expect(await decodeFailure(craft([zeroRecord(DISK_BYTES - 4, 5)]))).toBe("ExtentBeyondDisk");
    expect(await decodeFailure(craft([dataRecord(DISK_BYTES, randomBytes(1))]))).toBe("ExtentBeyondDisk");
  });

  it("refuses offsets too large for a safe integer as beyond the disk", async () => {
    const bytes = craft([zeroRecord(0, 1)]);
    const at = encodeHeader(header).length;
    bytes.writeBigUInt64LE(1n << 60n, at + 8);
    bytes.writeUInt32LE(crc32(bytes.subarray(at, at + 28)), at + 28);
    expect(await decodeFailure(bytes)).toBe("ExtentBeyondDisk");
  });

  it("refuses overlapping and unsorted extents", async () => {
    expect(await decodeFailure(craft([zeroRecord(0, 4096), zeroRecord(4095, 1)]))).toBe("ExtentsOutOfOrder");
    expect(await decodeFailure(craft([zeroRecord(8192, 4096), zeroRecord(0, 4096)]))).toBe("ExtentsOutOfOrder");
  });

  it("refuses empty extents, zero runs with bytes, unknown kinds, codecs and flags", async () => {
    expect(await decodeFailure(craft([zeroRecord(0, 0)]))).toBe("BatchMalformed");
    expect(await decodeFailure(craft([{ ...zeroRecord(0, 4), storedLength: 4, payload: Buffer.alloc(4) }]))).toBe(
      "BatchMalformed",
    );
    expect(await decodeFailure(craft([{ ...zeroRecord(0, 4), kind: 7 }]))).toBe("BatchMalformed");
    expect(await decodeFailure(craft([{ ...dataRecord(0, randomBytes(64)), codec: 9 }]))).toBe("BatchMalformed");
    expect(await decodeFailure(craft([], 0x80))).toBe("BatchMalformed");
  });

  it("refuses an lz4 extent whose size prefix disagrees with its length", async () => {
    const payload = Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0x7f]), randomBytes(60)]);
    const record = {
      kind: EXTENT_KIND.data,
      codec: CODEC.lz4,
      storedLength: 64,
      offset: 0,
      length: 4096,
      dataCrc: 0,
      payload,
    };
    expect(await decodeFailure(craft([record]))).toBe("ExtentChecksumMismatch");
  });
});

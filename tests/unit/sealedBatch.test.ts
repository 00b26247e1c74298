import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isFerryError } from "../../shared/domain/errors";
import { AdaptiveCompressor, ByteReader, type Extent } from "../../shared/replication/wire";
import { readStaged, sealEnd, sealExtent, stagedHeader, type StagedContext } from "../../shared/replication/store";

const context: StagedContext = {
  projectId: "prj_a",
  itemId: "itm_b",
  diskId: "disk0",
  epoch: 1,
  sequence: 7,
  dataKey: randomBytes(32),
};
const extents: Extent[] = [
  { kind: "data", offset: 0, data: Buffer.alloc(100_000, "compressible ") },
  { kind: "zero", offset: 100_000, length: 1 << 20 },
  { kind: "data", offset: 2 << 20, data: randomBytes(4096) },
];

function staged(c = context): Buffer {
  const compressor = new AdaptiveCompressor();
  const parts = [stagedHeader(c), ...extents.flatMap((e) => sealExtent(c, e, compressor))];
  parts.push(...sealEnd(c, { extentCount: 3, coveredBytes: 100_000 + (1 << 20) + 4096, sha256: "ab".repeat(32) }));
  return Buffer.concat(parts);
}

async function open(bytes: Buffer, c = context): Promise<Extent[]> {
  const out: Extent[] = [];
  const reader = new ByteReader(
    (async function* () {
      yield bytes;
    })(),
    Number.MAX_SAFE_INTEGER,
  );
  const iterator = readStaged(reader, c);
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) out.push(next.value);
  return out;
}

async function failure(bytes: Buffer, c = context): Promise<string> {
  try {
    await open(bytes, c);
  } catch (error) {
    if (isFerryError(error)) return error.code;
    throw error;
  }
  return "none";
}

describe("staged batch cache format", () => {
  it("reads back the extents it sealed, compressed data included", async () => {
    expect(await open(staged())).toEqual(extents);
  });

  it("refuses a flipped byte, another disk's or batch's context, and a dropped record", async () => {
    const bytes = staged();
    const flipped = Buffer.from(bytes);
    flipped[60] = (flipped[60] as number) ^ 1;
    expect(await failure(flipped)).toBe("ChunkIntegrityFailed");
    expect(await failure(bytes, { ...context, diskId: "disk1" })).toBe("ChunkIntegrityFailed");
    expect(await failure(staged({ ...context, sequence: 8 }), context)).toBe("ChunkIntegrityFailed");
    const compressor = new AdaptiveCompressor();
    const first = Buffer.concat(sealExtent(context, extents[0] as Extent, compressor));
    const dropped = Buffer.concat([bytes.subarray(0, 24), bytes.subarray(24 + first.length)]);
    expect(await failure(dropped)).toBe("ChunkIntegrityFailed");
  });
});

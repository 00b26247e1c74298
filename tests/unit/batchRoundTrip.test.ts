import { createHash, randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  AdaptiveCompressor,
  batchLimits,
  CODEC,
  encodeBatch,
  encodeBatchStream,
  encodeHeader,
  readBatch,
  RECORD_BYTES,
  type Extent,
} from "../../shared/replication/wire";
import { DISK_BYTES, decodeAll, encodeToBuffer, header, randomExtents } from "./batchTestKit";

function extentsOf(events: Awaited<ReturnType<typeof decodeAll>>): Extent[] {
  return events.flatMap((event) => (event.type === "extent" ? [event.extent] : []));
}

describe("change batch round trip", () => {
  it("returns the header, every extent byte-exact and a summary whose digest covers the wire bytes", async () => {
    const extents = randomExtents();
    const wire = await encodeToBuffer(extents, { compressor: new AdaptiveCompressor() });
    const events = await decodeAll(wire);
    expect(events[0]).toEqual({ type: "header", header });
    expect(extentsOf(events)).toEqual(extents);
    const end = events.at(-1);
    expect(end).toEqual({
      type: "end",
      summary: {
        extentCount: 4,
        coveredBytes: 70000 + 1024 * 1024 + 4096 + 12345,
        endOffset: 3 * 1024 * 1024 + 1 + 12345,
        sha256: createHash("sha256")
          .update(wire.subarray(0, wire.length - 32))
          .digest("hex"),
        bodySha256: createHash("sha256").update(wire).digest("hex"),
      },
    });
  });

  it("reports the whole body's SHA-256, trailer included, without a second pass over the bytes", async () => {
    let reported = "";
    const parts: Buffer[] = [];
    for await (const part of encodeBatch(header, randomExtents(), {
      onBodyDigest: (hex) => {
        reported = hex;
      },
    }))
      parts.push(part);
    expect(reported).toBe(createHash("sha256").update(Buffer.concat(parts)).digest("hex"));
  });

  it("sends zero runs as records without bytes", async () => {
    const wire = await encodeToBuffer([{ kind: "zero", offset: 0, length: DISK_BYTES }]);
    const withoutZeroRun = await encodeToBuffer([]);
    expect(wire.length - withoutZeroRun.length).toBe(RECORD_BYTES);
  });

  it("compresses compressible data and stores random data raw", async () => {
    const text = Buffer.alloc(1024 * 1024, "the same words again ");
    const wire = await encodeToBuffer([{ kind: "data", offset: 0, data: text }], {
      compressor: new AdaptiveCompressor(),
    });
    expect(wire.length).toBeLessThan(text.length / 10);
    const noise = randomBytes(256 * 1024);
    const raw = await encodeToBuffer([{ kind: "data", offset: 0, data: noise }], {
      compressor: new AdaptiveCompressor(),
    });
    expect(raw.length).toBeGreaterThan(noise.length);
    expect(raw[encodeHeader(header).length + 1]).toBe(CODEC.none);
  });

  it("decodes the same whatever the body's chunking, down to single bytes", async () => {
    const extents = randomExtents().slice(0, 3);
    const wire = await encodeToBuffer(extents, { compressor: new AdaptiveCompressor() });
    expect(extentsOf(await decodeAll(wire, {}, 1))).toEqual(extents);
    expect(extentsOf(await decodeAll(wire, {}, 4099))).toEqual(extents);
  });

  it("splits data longer than the extent limit into sorted pieces", async () => {
    const data = randomBytes(10_000);
    const wire = await encodeToBuffer([{ kind: "data", offset: 8192, data }], { maxExtentBytes: 4096 });
    const pieces = extentsOf(await decodeAll(wire, { maxExtentBytes: 4096 }));
    expect(pieces.map((piece) => piece.offset)).toEqual([8192, 12288, 16384]);
    expect(Buffer.concat(pieces.map((piece) => (piece.kind === "data" ? piece.data : Buffer.alloc(0))))).toEqual(data);
  });

  it("handles extents that are not a multiple of the block size, up to the disk's last byte", async () => {
    const extents: Extent[] = [
      { kind: "data", offset: 1, data: randomBytes(511) },
      { kind: "zero", offset: 512, length: 3 },
      { kind: "data", offset: DISK_BYTES - 7, data: randomBytes(7) },
    ];
    expect(extentsOf(await decodeAll(await encodeToBuffer(extents)))).toEqual(extents);
  });

  it("streams through Node streams end to end, as an HTTP body does", async () => {
    const extents = randomExtents();
    const body = encodeBatchStream(header, extents, { compressor: new AdaptiveCompressor() }).pipe(
      new PassThrough({ highWaterMark: 16384 }),
    );
    const seen: Extent[] = [];
    for await (const event of readBatch(body, batchLimits(DISK_BYTES)))
      if (event.type === "extent") seen.push(event.extent);
    expect(seen).toEqual(extents);
  });

  it("refuses to encode extents that are unsorted or overlap", async () => {
    const overlapping: Extent[] = [
      { kind: "data", offset: 4096, data: randomBytes(4096) },
      { kind: "zero", offset: 8191, length: 1 },
    ];
    await expect(encodeToBuffer(overlapping)).rejects.toMatchObject({ code: "ExtentsOutOfOrder" });
  });

  it("yields the first extent before the body has fully arrived", async () => {
    const extents: Extent[] = Array.from({ length: 8 }, (_, i) => ({
      kind: "data",
      offset: i * 65536,
      data: randomBytes(65536),
    }));
    const wire = await encodeToBuffer(extents);
    let delivered = 0;
    async function* slowBody(): AsyncGenerator<Buffer> {
      for (let at = 0; at < wire.length; at += 16384) {
        delivered = at + 16384;
        yield wire.subarray(at, at + 16384);
      }
    }
    for await (const event of readBatch(slowBody(), batchLimits(DISK_BYTES))) {
      if (event.type === "extent") break;
    }
    expect(delivered).toBeLessThan(wire.length / 4);
  });
});

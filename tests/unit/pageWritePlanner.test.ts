import { randomBytes, randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Extent, ReceivedExtent } from "../../shared/replication/wire";
import {
  MAX_PAGE_WRITE_BYTES,
  PAGE_BYTES,
  PageWritePlanner,
  type PageWrite,
} from "../../shared/replication/apply/pageWritePlanner";

/** A page blob in memory that, like Azure, refuses unaligned or oversized page writes. */
function memoryReplica(size: number) {
  const bytes = randomBytes(size);
  const writes: PageWrite[] = [];
  const io = {
    readPage: async (offset: number) => {
      expect(offset % PAGE_BYTES).toBe(0);
      return Buffer.from(bytes.subarray(offset, offset + PAGE_BYTES));
    },
    write: async (w: PageWrite) => {
      writes.push(w);
      expect(w.offset % PAGE_BYTES).toBe(0);
      expect(w.length % PAGE_BYTES).toBe(0);
      if (w.kind === "write") {
        expect(w.length).toBeLessThanOrEqual(MAX_PAGE_WRITE_BYTES);
        const data = Buffer.concat(w.parts);
        expect(data.length).toBe(w.length);
        data.copy(bytes, w.offset);
      } else bytes.fill(0, w.offset, w.offset + w.length);
    },
  };
  return { bytes, writes, io };
}

function applyPlain(target: Buffer, extents: Extent[]): void {
  for (const e of extents) {
    if (e.kind === "data") e.data.copy(target, e.offset);
    else target.fill(0, e.offset, e.offset + e.length);
  }
}

function randomExtents(size: number): Extent[] {
  const out: Extent[] = [];
  for (let at = randomInt(0, 3000); at < size - 10;) {
    const length = Math.min(size - at, randomInt(1, 3) === 1 ? randomInt(1, 1500) : randomInt(1, 600_000));
    out.push(
      randomInt(0, 3) === 0
        ? { kind: "zero", offset: at, length }
        : { kind: "data", offset: at, data: randomBytes(length) },
    );
    at += length + (randomInt(0, 2) === 0 ? 0 : randomInt(1, 5000));
  }
  return out;
}

/** The extent as a request delivers it: its bytes cut into socket-sized chunks of random lengths. */
function received(extent: Extent): ReceivedExtent {
  if (extent.kind === "zero") return extent;
  const parts: Buffer[] = [];
  for (let at = 0; at < extent.data.length;) {
    const length = randomInt(1, 70_000);
    parts.push(extent.data.subarray(at, at + length));
    at += length;
  }
  return { kind: "data", offset: extent.offset, length: extent.data.length, parts };
}

async function plan(replica: ReturnType<typeof memoryReplica>, extents: (Extent | ReceivedExtent)[]) {
  const planner = new PageWritePlanner(replica.io);
  for (const extent of extents) await planner.add(extent);
  await planner.finish();
}

/** Random extents over a disk of `size` bytes, planned as `delivered` gives them, against applying them plainly. */
async function expectPlannedLikePlain(size: number, delivered: (extents: Extent[]) => (Extent | ReceivedExtent)[]) {
  // The disk may end mid-page; its replica, like the real one, is whole pages.
  const replica = memoryReplica(Math.ceil(size / PAGE_BYTES) * PAGE_BYTES);
  const expected = Buffer.from(replica.bytes);
  const extents = randomExtents(size);
  applyPlain(expected, extents);
  await plan(replica, delivered(extents));
  expect(replica.bytes.equals(expected)).toBe(true);
}

describe("page write planner", () => {
  it("applies unaligned data and zero extents byte-exactly, keeping the bytes around them", async () => {
    for (let round = 0; round < 20; round += 1)
      await expectPlannedLikePlain(8 * 1024 * 1024 + 12345, (extents) => extents);
  });

  it("applies extents received as many chunks byte-exactly, without joining whole writes", async () => {
    for (let round = 0; round < 10; round += 1)
      await expectPlannedLikePlain(8 * 1024 * 1024 + 777, (extents) => extents.map(received));
    const replica = memoryReplica(8 * 1024 * 1024);
    const whole = received({ kind: "data", offset: 0, data: randomBytes(4 * 1024 * 1024) });
    await plan(replica, [whole]);
    const [write] = replica.writes;
    expect(write?.kind === "write" ? write.parts : []).toEqual(whole.kind === "data" ? whole.parts : undefined);
  });

  it("coalesces adjacent block extents into writes of at most 4 MiB", async () => {
    const replica = memoryReplica(16 * 1024 * 1024);
    const extents: Extent[] = [];
    for (let at = 0; at < 10 * 1024 * 1024; at += 4096)
      extents.push({ kind: "data", offset: at, data: randomBytes(4096) });
    await plan(replica, extents);
    expect(replica.writes.map((w) => (w.kind === "write" ? w.length : -1))).toEqual(
      [4, 4, 2].map((n) => n * 1024 * 1024),
    );
  });

  it("clears aligned zero runs as one range instead of writing zeros", async () => {
    const replica = memoryReplica(64 * 1024 * 1024);
    await plan(replica, [
      { kind: "zero", offset: 0, length: 32 * 1024 * 1024 },
      { kind: "zero", offset: 32 * 1024 * 1024, length: 8 * 1024 * 1024 },
    ]);
    expect(replica.writes).toEqual([{ kind: "clear", offset: 0, length: 40 * 1024 * 1024 }]);
  });
});

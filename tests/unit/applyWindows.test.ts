// Batches applied together window by window must leave exactly the bytes that applying them one
// after another leaves, whichever way each window is written.
import { randomBytes, randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { extentLength, type Extent } from "../../shared/replication/wire";
import { overlay, patch, windows, WindowRewriter } from "../../shared/replication/apply/applyWindows";

const WINDOW = 1024;
const DISK = 5 * WINDOW + 333;

/** Sorted, disjoint extents of random kinds and lengths, some longer than a window, some unaligned. */
function randomBatch(): Extent[] {
  const out: Extent[] = [];
  for (let at = randomInt(0, 300); at < DISK; at += randomInt(1, 700)) {
    const length = Math.min(DISK - at, randomInt(1, randomInt(0, 4) === 0 ? 3 * WINDOW : 400));
    out.push(
      randomInt(0, 3) === 0
        ? { kind: "zero", offset: at, length }
        : { kind: "data", offset: at, data: randomBytes(length) },
    );
    at += length;
  }
  return out;
}

function applyInOrder(disk: Buffer, batches: Extent[][]): Buffer {
  const out = Buffer.from(disk);
  for (const batch of batches) patch(out, 0, batch);
  return out;
}

async function byWindows(
  disk: Buffer,
  batches: Extent[][],
  write: (window: Buffer, start: number, pieces: Extent[]) => void,
): Promise<Buffer> {
  const out = Buffer.from(disk);
  for await (const window of windows(
    batches.map((b) => b[Symbol.iterator]()),
    WINDOW,
  )) {
    for (const piece of window.pieces) {
      expect(piece.offset).toBeGreaterThanOrEqual(window.start);
      expect(piece.offset + extentLength(piece)).toBeLessThanOrEqual(window.start + WINDOW);
    }
    write(out, window.start, window.pieces);
  }
  return out;
}

describe("applying several batches window by window", () => {
  it("leaves the bytes of applying them in order when each window is patched in sequence order", async () => {
    for (let round = 0; round < 50; round++) {
      const disk = randomBytes(DISK);
      const batches = Array.from({ length: randomInt(1, 6) }, randomBatch);
      const merged = await byWindows(disk, batches, (out, start, pieces) => {
        const length = Math.min(WINDOW, DISK - start);
        patch(out.subarray(start, start + length), start, pieces);
      });
      expect(merged.equals(applyInOrder(disk, batches))).toBe(true);
    }
  });

  it("leaves the same bytes when each window's visible extents are written in any order", async () => {
    for (let round = 0; round < 50; round++) {
      const disk = randomBytes(DISK);
      const batches = Array.from({ length: randomInt(1, 6) }, randomBatch);
      const merged = await byWindows(disk, batches, (out, _start, pieces) => {
        const visible = overlay(pieces);
        for (let i = 1; i < visible.length; i++) {
          const before = visible[i - 1] as Extent;
          expect(before.offset + extentLength(before)).toBeLessThanOrEqual((visible[i] as Extent).offset);
        }
        patch(out, 0, [...visible].reverse());
      });
      expect(merged.equals(applyInOrder(disk, batches))).toBe(true);
    }
  });
});

describe("rewriting whole windows", () => {
  it("reads each window, patches it in sequence order and writes it back, a few at a time", async () => {
    const disk = randomBytes(4 * WINDOW);
    const expected = Buffer.from(disk);
    let inFlight = 0;
    let most = 0;
    const rewriter = new WindowRewriter(
      {
        read: async (start, length) => Buffer.from(disk.subarray(start, start + length)),
        write: async (start, data) => {
          most = Math.max(most, ++inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5));
          data.copy(disk, start);
          inFlight -= 1;
        },
      },
      2,
    );
    for (let w = 0; w < 4; w++) {
      const pieces: Extent[] = [
        { kind: "data", offset: w * WINDOW + 10, data: randomBytes(100) },
        { kind: "zero", offset: w * WINDOW + 50, length: 20 },
      ];
      patch(expected, 0, pieces);
      await rewriter.add(w * WINDOW, WINDOW, pieces);
    }
    await rewriter.finish();
    expect(disk.equals(expected)).toBe(true);
    expect(most).toBe(2);
  });

  it("fails the pass with the first failed rewrite and starts none after it", async () => {
    const written: number[] = [];
    const rewriter = new WindowRewriter(
      {
        read: async (start) => (start === WINDOW ? Promise.reject(new Error("read failed")) : Buffer.alloc(WINDOW)),
        write: async (start) => {
          written.push(start);
        },
      },
      1,
    );
    await rewriter.add(0, WINDOW, []);
    await rewriter.add(WINDOW, WINDOW, []);
    await expect(rewriter.add(2 * WINDOW, WINDOW, [])).rejects.toThrow("read failed");
    await rewriter.abandon();
    expect(written).toEqual([0]);
  });
});

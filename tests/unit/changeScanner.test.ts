import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scanForChanges } from "../../agent/disk/changeScanner";
import { DigestMap } from "../../agent/disk/digestMap";
import { openSourceDisk, type SourceDisk } from "../../agent/disk/sourceDisk";
import { BLOCK, blocksOf, distinctRandomBlocks, overwriteBlocks, scanAll, tempDir, writeImage } from "./diskTestKit";

const SIZE = 8 * 1024 * 1024 + 1000;
const BLOCKS = Math.ceil(SIZE / BLOCK);

describe("scanning a disk for changes", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let image: string;
  let disk: SourceDisk;
  let map: DigestMap;

  beforeEach(async () => {
    dir = await tempDir();
    image = join(dir.path, "disk.img");
    await writeImage(image, SIZE);
    disk = await openSourceDisk(image);
    map = await DigestMap.open(join(dir.path, "disk.map"), { diskSizeBytes: SIZE, blockBytes: BLOCK, epoch: 1 });
  });

  afterEach(async () => {
    await map.close();
    await disk.close();
    await dir.remove();
  });

  async function scanAndCommit(options = {}) {
    const changes = await scanAll(disk, map, options);
    await map.commit(changes.map((change) => change.update));
    return changes;
  }

  it("finds every block of a new disk, sending zero stretches as zero runs", async () => {
    const changes = await scanAll(disk, map);
    expect(blocksOf(changes)).toEqual(Array.from({ length: BLOCKS }, (_, i) => i));
    const zero = changes.filter((change) => change.extent.kind === "zero");
    expect(zero).toHaveLength(1);
    expect(zero[0]?.extent).toEqual({
      kind: "zero",
      offset: SIZE / 4 - ((SIZE / 4) % BLOCK) + BLOCK,
      length: expect.any(Number),
    });
    const bytes = await readFile(image);
    for (const { extent } of changes) {
      if (extent.kind === "data")
        expect(extent.data.equals(bytes.subarray(extent.offset, extent.offset + extent.data.length))).toBe(true);
    }
  });

  it("finds nothing once the changes were committed", async () => {
    await scanAndCommit();
    expect(await scanAll(disk, map)).toEqual([]);
  });

  it("finds exactly the randomly rewritten 4 KiB blocks, with their new bytes", async () => {
    await scanAndCommit();
    const rewritten = distinctRandomBlocks(40, BLOCKS - 1);
    await overwriteBlocks(image, rewritten);
    const changes = await scanAll(disk, map);
    expect(blocksOf(changes)).toEqual(rewritten);
    const bytes = await readFile(image);
    for (const { extent } of changes) {
      expect(
        extent.kind === "data" && extent.data.equals(bytes.subarray(extent.offset, extent.offset + extent.data.length)),
      ).toBe(true);
    }
  });

  it("coalesces adjacent changed blocks into one extent, across chunk boundaries", async () => {
    await scanAndCommit({ chunkBytes: 4 * BLOCK });
    await overwriteBlocks(image, [2, 3, 4, 5, 6, 9]);
    const changes = await scanAll(disk, map, { chunkBytes: 4 * BLOCK });
    expect(changes.map(({ extent }) => [extent.offset, extent.kind === "data" ? extent.data.length : -1])).toEqual([
      [2 * BLOCK, 5 * BLOCK],
      [9 * BLOCK, BLOCK],
    ]);
  });

  it("can hand out views of its few reused buffers, each holding the disk's bytes until the next extent is asked for", async () => {
    const options = { chunkBytes: 4 * BLOCK, maxExtentBytes: 4 * BLOCK };
    await scanAndCommit(options);
    // A run across a chunk boundary (carried), a run filling a whole chunk, and lone blocks.
    const rewritten = [2, 3, 4, 5, 6, 9, 12, 13, 14, 15, 40, 1000, 1999];
    await overwriteBlocks(image, rewritten);
    const bytes = await readFile(image);
    const backing = new Set<ArrayBufferLike>();
    const seen: Array<[number, number]> = [];
    for await (const { extent } of scanForChanges(disk, map, { ...options, reuseBuffers: true })) {
      if (extent.kind !== "data") throw new Error("only data changed");
      expect(extent.data.equals(bytes.subarray(extent.offset, extent.offset + extent.data.length))).toBe(true);
      backing.add(extent.data.buffer);
      seen.push([extent.offset, extent.data.length]);
    }
    expect(seen).toEqual(
      (await scanAll(disk, map, options)).map(({ extent }) => [
        extent.offset,
        extent.kind === "data" ? extent.data.length : -1,
      ]),
    );
    expect(blocksOf(await scanAll(disk, map, options))).toEqual(rewritten);
    expect(backing.size).toBeLessThanOrEqual(3);
  });

  it("finds a change in the short block at the disk's end", async () => {
    await scanAndCommit();
    await overwriteBlocks(image, [BLOCKS - 1]);
    const changes = await scanAll(disk, map);
    expect(changes.map(({ extent }) => extent.kind === "data" && [extent.offset, extent.data.length])).toEqual([
      [(BLOCKS - 1) * BLOCK, 1000],
    ]);
  });

  it("finds a block that became zero as a zero run", async () => {
    await scanAndCommit();
    await overwriteBlocks(image, [1], 0);
    expect((await scanAll(disk, map)).map((change) => change.extent)).toEqual([
      { kind: "zero", offset: BLOCK, length: BLOCK },
    ]);
  });

  it("finds the same changes again while they are not committed: an unacknowledged batch leaves no gap", async () => {
    await scanAndCommit();
    await overwriteBlocks(image, [7, 100]);
    expect(blocksOf(await scanAll(disk, map))).toEqual([7, 100]);
    expect(blocksOf(await scanAll(disk, map))).toEqual([7, 100]);
  });

  it("keeps zero runs within their limit and commits them without per-block digests", async () => {
    const changes = await scanAll(disk, map, { maxZeroRunBytes: 16 * BLOCK });
    const zeroRuns = changes.filter(({ extent }) => extent.kind === "zero");
    expect(zeroRuns.length).toBeGreaterThan(1);
    expect(
      zeroRuns.every(
        ({ extent, update }) => extent.kind === "zero" && extent.length <= 16 * BLOCK && !("digests" in update),
      ),
    ).toBe(true);
    await map.commit(changes.map((change) => change.update));
    expect(await scanAll(disk, map)).toEqual([]);
  });

  it("keeps data extents within the extent limit", async () => {
    const changes = await scanAll(disk, map, { maxExtentBytes: 64 * 1024 });
    expect(Math.max(...changes.map(({ extent }) => (extent.kind === "data" ? extent.data.length : 0)))).toBe(64 * 1024);
  });

  it("reads the map in windows no larger than asked and finds the same changes as with one window", async () => {
    await scanAndCommit();
    const rewritten = distinctRandomBlocks(30, BLOCKS);
    await overwriteBlocks(image, rewritten);
    const asked: number[] = [];
    const readWindow = map.readWindow.bind(map);
    map.readWindow = (first, count) => (asked.push(count), readWindow(first, count));
    const changes = await scanAll(disk, map, { windowBlocks: 8, chunkBytes: 2 * BLOCK });
    expect(Math.max(...asked)).toBe(8);
    expect(asked.length).toBe(Math.ceil(BLOCKS / 8));
    expect(blocksOf(changes)).toEqual(rewritten);
  });

  it("resumes from a block-aligned offset, reporting progress chunk by chunk", async () => {
    await scanAndCommit();
    await overwriteBlocks(image, [3, 1500, 2000]);
    const progress: number[] = [];
    const changes = await scanAll(disk, map, {
      start: 1024 * BLOCK,
      chunkBytes: 512 * BLOCK,
      onProgress: (to) => progress.push(to),
    });
    expect(blocksOf(changes)).toEqual([1500, 2000]);
    expect(progress).toEqual([1536 * BLOCK, 2048 * BLOCK, SIZE]);
  });

  it("refuses a map made for a disk of another size", async () => {
    const other = await DigestMap.open(join(dir.path, "other.map"), {
      diskSizeBytes: SIZE + 1,
      blockBytes: BLOCK,
      epoch: 1,
    });
    await expect(scanAll(disk, other)).rejects.toThrow(RangeError);
    await other.close();
  });
});

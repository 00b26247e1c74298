import { open, readdir, stat, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DigestMap } from "../../agent/disk/digestMap";
import { MAP_HEADER_BYTES } from "../../agent/disk/digestMapFile";
import { openSourceDisk } from "../../agent/disk/sourceDisk";
import { BLOCK, blocksOf, scanAll, tempDir, writeImage } from "./diskTestKit";

const SIZE = 64 * BLOCK;
const identity = { diskSizeBytes: SIZE, blockBytes: BLOCK, epoch: 5 };

describe("the persisted digest map", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let mapPath: string;

  beforeEach(async () => {
    dir = await tempDir();
    mapPath = join(dir.path, "disk.map");
  });
  afterEach(() => dir.remove());

  async function scanFresh(map: DigestMap): Promise<number[]> {
    const disk = await openSourceDisk(join(dir.path, "disk.img"));
    try {
      return blocksOf(await scanAll(disk, map));
    } finally {
      await disk.close();
    }
  }

  async function committedMap(): Promise<DigestMap> {
    await writeImage(join(dir.path, "disk.img"), SIZE);
    const map = await DigestMap.open(mapPath, identity);
    const disk = await openSourceDisk(join(dir.path, "disk.img"));
    await map.commit((await scanAll(disk, map)).map((change) => change.update));
    await disk.close();
    return map;
  }

  it("starts fresh, as a sparse file of unknown entries, when none exists", async () => {
    const map = await DigestMap.open(mapPath, identity);
    expect(map.fresh).toBe(true);
    expect((await stat(mapPath)).size).toBe(MAP_HEADER_BYTES + 64 * 8);
    expect([...(await map.readWindow(0, 64))].every((digest) => digest === 0n)).toBe(true);
    await map.close();
  });

  it("keeps committed digests across a reopen", async () => {
    await (await committedMap()).close();
    const reopened = await DigestMap.open(mapPath, identity);
    expect(reopened.fresh).toBe(false);
    expect(await scanFresh(reopened)).toEqual([]);
    await reopened.close();
  });

  it("ignores a half-written replacement left by a crash during creation", async () => {
    await (await committedMap()).close();
    await writeFile(`${mapPath}.new`, "half a header");
    const reopened = await DigestMap.open(mapPath, identity);
    expect(reopened.fresh).toBe(false);
    await reopened.close();
    expect((await readdir(dir.path)).filter((name) => name.startsWith("disk.map"))).toEqual(["disk.map"]);
  });

  it("starts over when the epoch or the disk size changed, so a resync resends everything", async () => {
    await (await committedMap()).close();
    const resynced = await DigestMap.open(mapPath, { ...identity, epoch: 6 });
    expect(resynced.fresh).toBe(true);
    expect(await scanFresh(resynced)).toHaveLength(64);
    await resynced.close();
  });

  it("starts over when the header is damaged", async () => {
    await (await committedMap()).close();
    const handle = await open(mapPath, "r+");
    await handle.write(Buffer.from([0xff]), 0, 1, 20);
    await handle.close();
    const reopened = await DigestMap.open(mapPath, identity);
    expect(reopened.fresh).toBe(true);
    await reopened.close();
  });

  it("treats entries missing from a cut-short file as unknown, so those blocks are sent again", async () => {
    await (await committedMap()).close();
    await truncate(mapPath, MAP_HEADER_BYTES + 60 * 8);
    const reopened = await DigestMap.open(mapPath, identity);
    expect(await scanFresh(reopened)).toEqual([60, 61, 62, 63]);
    await reopened.close();
  });

  it("reads a window into a reused array, entries missing from a cut-short file unknown, not the last window's", async () => {
    const map = await committedMap();
    const committed = await map.readWindow(0, 64);
    await map.close();
    await truncate(mapPath, MAP_HEADER_BYTES + 60 * 8 + 3);
    const reopened = await DigestMap.open(mapPath, identity);
    const reused = new BigUint64Array(64).fill(123n);
    const window = await reopened.readWindow(0, 64, reused);
    expect(window.buffer).toBe(reused.buffer);
    expect([...window]).toEqual([...committed.subarray(0, 60), 0n, 0n, 0n, 0n]);
    await reopened.close();
  });

  it("treats torn or garbage entries as changed, never as unchanged", async () => {
    await (await committedMap()).close();
    const handle = await open(mapPath, "r+");
    await handle.write(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), 0, 12, MAP_HEADER_BYTES + 10 * 8 + 4);
    await handle.close();
    const reopened = await DigestMap.open(mapPath, identity);
    expect(await scanFresh(reopened)).toEqual([10, 11]);
    await reopened.close();
  });

  it("refuses a commit outside the map", async () => {
    const map = await DigestMap.open(mapPath, identity);
    await expect(map.commit([{ firstBlock: 63, digests: new BigUint64Array(2) }])).rejects.toThrow(RangeError);
    await map.close();
  });
});

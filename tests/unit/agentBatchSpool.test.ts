import { createHash, randomBytes } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { lstat, readFile, readdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DigestMap } from "../../agent/disk/digestMap";
import { openSourceDisk, type SourceDisk } from "../../agent/disk/sourceDisk";
import { restampBatch } from "../../agent/run/batchRestamp";
import { spoolBatch, type SpooledBatch } from "../../agent/run/batchSpool";
import { ChangeQueue } from "../../agent/run/changeQueue";
import { scanRange } from "../../agent/run/rangeScanner";
import {
  AdaptiveCompressor,
  batchLimits,
  readBatch,
  type BatchHeader,
  type Extent,
} from "../../shared/replication/wire";
import { BLOCK, tempDir, writeImage } from "./diskTestKit";

const SIZE = 3 * 1024 * 1024 + 1000;
const header: BatchHeader = {
  machineId: "m_1",
  diskId: "disk0",
  epoch: 2,
  sequence: 5,
  flags: { final: false, appConsistent: false, crashConsistent: false },
};

async function decode(file: string): Promise<{ header?: BatchHeader; extents: Extent[]; sha256?: string }> {
  const out: { header?: BatchHeader; extents: Extent[]; sha256?: string } = { extents: [] };
  for await (const event of readBatch(createReadStream(file), batchLimits(SIZE))) {
    if (event.type === "header") out.header = event.header;
    if (event.type === "extent") out.extents.push(event.extent);
    if (event.type === "end") out.sha256 = event.summary.sha256;
  }
  return out;
}

/** Deep equality on megabyte Buffers is slow in vitest: compare digests. */
const summary = (extent: Extent) =>
  extent.kind === "data"
    ? { offset: extent.offset, sha: createHash("sha256").update(extent.data).digest("hex") }
    : { offset: extent.offset, zeros: extent.length };

const fileSha = async (file: string) =>
  createHash("sha256")
    .update(await readFile(file))
    .digest("hex");

describe("spooling change batches", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let disk: SourceDisk;
  let map: DigestMap;
  let image: Buffer;

  beforeEach(async () => {
    dir = await tempDir();
    image = await writeImage(join(dir.path, "disk.img"), SIZE, 1024 * 1024, 2 * 1024 * 1024);
    disk = await openSourceDisk(join(dir.path, "disk.img"));
    map = await DigestMap.open(join(dir.path, "disk.map"), { diskSizeBytes: SIZE, blockBytes: BLOCK, epoch: 2 });
  });

  afterEach(async () => {
    await map.close();
    await disk.close();
    await dir.remove();
  });

  async function spoolAll(
    start: number,
    maxDataBytes: number,
    source = disk,
    chunkBytes?: number,
  ): Promise<SpooledBatch[]> {
    const queue = new ChangeQueue(
      scanRange(source, map, { start, maxExtentBytes: 256 * 1024, chunkBytes })[Symbol.asyncIterator](),
    );
    const batches: SpooledBatch[] = [];
    for (let i = 0; batches.at(-1)?.last !== true; i += 1) {
      batches.push(
        await spoolBatch(
          join(dir.path, `b${i}`),
          { ...header, sequence: i },
          queue,
          { maxDataBytes, maxExtents: 1000, maxZeroBytes: 1 << 30 },
          new AdaptiveCompressor(),
        ),
      );
    }
    return batches;
  }

  it("cuts a scan into bounded batches that decode to the disk's bytes, zeros as zero runs", async () => {
    const batches = await spoolAll(0, 512 * 1024);
    expect(batches.every((batch) => batch.dataBytes <= 512 * 1024)).toBe(true);
    const rebuilt = Buffer.alloc(SIZE);
    for (const batch of batches) {
      const decoded = await decode(batch.file);
      expect(decoded.sha256).toBe(batch.trailerSha256);
      expect(await fileSha(batch.file)).toBe(batch.fileSha256);
      for (const extent of decoded.extents) {
        if (extent.kind === "data") extent.data.copy(rebuilt, extent.offset);
        else expect(extent.offset).toBeGreaterThanOrEqual(1024 * 1024);
      }
    }
    expect(rebuilt.equals(image)).toBe(true);
    expect(batches.reduce((sum, batch) => sum + batch.zeroBytes, 0)).toBe(1024 * 1024);
  });

  it("spools hundreds of lone 4 KiB extents, each written out before the scan reuses its buffer", async () => {
    const scattered = Buffer.alloc(SIZE);
    for (let block = 0; block * BLOCK < SIZE; block += 2) randomBytes(BLOCK).copy(scattered, block * BLOCK);
    await writeFile(join(dir.path, "scattered.img"), scattered);
    const source = await openSourceDisk(join(dir.path, "scattered.img"));
    try {
      // Small chunks: the scan reuses each read buffer many times within one batch.
      const batches = await spoolAll(0, 1024 * 1024, source, 64 * 1024);
      const rebuilt = Buffer.alloc(SIZE, 0xff);
      for (const batch of batches) {
        for (const extent of (await decode(batch.file)).extents) {
          if (extent.kind === "data") extent.data.copy(rebuilt, extent.offset);
          else rebuilt.fill(0, extent.offset, extent.offset + extent.length);
        }
      }
      expect(batches.reduce((sum, batch) => sum + batch.extentCount, 0)).toBe(Math.ceil(SIZE / BLOCK));
      expect(rebuilt.equals(scattered)).toBe(true);
    } finally {
      await source.close();
    }
  });

  it("scans only from the given offset, so a resumed copy reads no earlier block", async () => {
    const batches = await spoolAll(2 * 1024 * 1024, 64 * 1024 * 1024);
    const extents = (await Promise.all(batches.map((batch) => decode(batch.file)))).flatMap(
      (decoded) => decoded.extents,
    );
    expect(extents[0]?.offset).toBe(2 * 1024 * 1024);
    expect(batches.at(-1)?.endOffset).toBe(SIZE);
  });

  it("restamps a spooled batch with a new sequence and flags that the decoder accepts", async () => {
    const [first] = await spoolAll(0, 64 * 1024 * 1024);
    if (!first) throw new Error("no batch");
    const before = await decode(first.file);
    const flags = { final: true, appConsistent: false, crashConsistent: true };
    const restamped = await restampBatch(first, { ...header, sequence: 42, flags });
    const after = await decode(restamped.file);
    expect(after.header).toEqual({ ...header, sequence: 42, flags });
    expect(after.extents.map(summary)).toEqual(before.extents.map(summary));
    expect(after.sha256).toBe(restamped.trailerSha256);
    expect(await fileSha(restamped.file)).toBe(restamped.fileSha256);
  });

  it("restamps in place: no second copy of the batch is written beside it", async () => {
    const [first] = await spoolAll(0, 64 * 1024 * 1024);
    if (!first) throw new Error("no batch");
    const inode = (await lstat(first.file)).ino;
    const restamped = await restampBatch(first, { ...header, sequence: 43 });
    expect([(await lstat(restamped.file)).ino, restamped.fileBytes]).toEqual([inode, first.fileBytes]);
    expect((await readdir(dir.path)).filter((name) => name.startsWith("b"))).toEqual(["b0"]);
  });

  it.skipIf(!existsSync("/dev/full"))("fails with ENOSPC on a full disk and leaves no spool file behind", async () => {
    const file = join(dir.path, "full.batch");
    // Every write to /dev/full fails with ENOSPC, as on a full disk.
    await symlink("/dev/full", file);
    const queue = new ChangeQueue(
      scanRange(disk, map, { start: 0, maxExtentBytes: 256 * 1024 })[Symbol.asyncIterator](),
    );
    const caps = { maxDataBytes: 1024 * 1024, maxExtents: 1000, maxZeroBytes: 1 << 30 };
    await expect(spoolBatch(file, header, queue, caps, new AdaptiveCompressor())).rejects.toMatchObject({
      code: "ENOSPC",
    });
    await queue.close();
    await expect(lstat(file)).rejects.toMatchObject({ code: "ENOENT" });
  });
});

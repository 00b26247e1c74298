import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readChunks } from "../../agent/disk/chunkReader";
import { openSourceDisk } from "../../agent/disk/sourceDisk";
import { tempDir, writeImage } from "./diskTestKit";

function attachLoop(image: string): string | undefined {
  try {
    return execFileSync("losetup", ["-f", "--show", image], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return undefined;
  }
}

describe("reading a source disk", () => {
  it("reads an image whose size is not a multiple of the block size, chunk by chunk, byte-exact", async () => {
    const dir = await tempDir();
    const image = join(dir.path, "odd.img");
    const bytes = await writeImage(image, 50_001);
    const disk = await openSourceDisk(image);
    expect(disk.sizeBytes).toBe(50_001);
    const chunks: Buffer[] = [];
    for await (const chunk of readChunks(disk, { start: 0, end: disk.sizeBytes, chunkBytes: 8192 }))
      chunks.push(Buffer.from(chunk.data));
    expect(chunks.map((chunk) => chunk.length)).toEqual([8192, 8192, 8192, 8192, 8192, 8192, 849]);
    expect(Buffer.concat(chunks)).toEqual(bytes);
    await disk.close();
    await dir.remove();
  });

  it("reads an empty range as no chunk", async () => {
    const dir = await tempDir();
    await writeImage(join(dir.path, "a.img"), 4096);
    const disk = await openSourceDisk(join(dir.path, "a.img"));
    const chunks = [];
    for await (const chunk of readChunks(disk, { start: 4096, end: 4096 })) chunks.push(chunk);
    expect(chunks).toEqual([]);
    await disk.close();
    await dir.remove();
  });

  it("sizes a block device from the kernel, where stat says 0 (needs root and a free loop device)", async (context) => {
    const dir = await tempDir();
    const image = join(dir.path, "loop.img");
    const bytes = await writeImage(image, 1024 * 1024 + 512);
    const device = attachLoop(image);
    if (device === undefined) {
      await dir.remove();
      context.skip();
      return;
    }
    try {
      const disk = await openSourceDisk(device);
      expect(disk.sizeBytes).toBe(1024 * 1024 + 512);
      const head = Buffer.alloc(4096);
      await disk.read(head, 4096, 0);
      expect(head).toEqual(bytes.subarray(0, 4096));
      await disk.close();
      expect((await readFile(image)).length).toBe(bytes.length);
    } finally {
      execFileSync("losetup", ["-d", device]);
      await dir.remove();
    }
  });
});

/** Temp disk images and scan helpers for the agent disk tests. */
import { randomBytes } from "node:crypto";
import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scanForChanges, type ScanOptions } from "../../agent/disk/changeScanner";
import type { DigestMap } from "../../agent/disk/digestMap";
import type { ChangedExtent } from "../../agent/disk/extentRuns";
import type { SourceDisk } from "../../agent/disk/sourceDisk";

export const BLOCK = 4096;

export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "ferry-disk-"));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Random bytes with a zero stretch in the middle, of any size. */
export async function writeImage(
  path: string,
  sizeBytes: number,
  zeroFrom = sizeBytes / 4,
  zeroTo = sizeBytes / 2,
): Promise<Buffer> {
  const bytes = randomBytes(sizeBytes);
  bytes.fill(0, Math.floor(zeroFrom), Math.floor(zeroTo));
  await writeFile(path, bytes);
  return bytes;
}

export async function overwriteBlocks(path: string, blocks: number[], fill?: number): Promise<void> {
  const handle = await open(path, "r+");
  for (const block of blocks) {
    const size = (await handle.stat()).size;
    const length = Math.min(BLOCK, size - block * BLOCK);
    await handle.write(fill === undefined ? randomBytes(length) : Buffer.alloc(length, fill), 0, length, block * BLOCK);
  }
  await handle.close();
}

export async function scanAll(disk: SourceDisk, map: DigestMap, options?: ScanOptions): Promise<ChangedExtent[]> {
  const found: ChangedExtent[] = [];
  for await (const changed of scanForChanges(disk, map, options)) found.push(changed);
  return found;
}

export function blocksOf(changes: ChangedExtent[]): number[] {
  return changes.flatMap(({ update }) => {
    const blocks = "digests" in update ? update.digests.length : update.blocks;
    return Array.from({ length: blocks }, (_, i) => update.firstBlock + i);
  });
}

export function distinctRandomBlocks(count: number, blockCount: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(Math.floor(Math.random() * blockCount));
  return [...chosen].sort((a, b) => a - b);
}

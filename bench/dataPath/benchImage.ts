/** Disk images for the scan benchmarks: made in large writes, changed in scattered 4 KiB writes. */
import { randomBytes, randomInt } from "node:crypto";
import { open } from "node:fs/promises";
import { MiB } from "./benchKit";

export async function makeRandomImage(path: string, sizeBytes: number): Promise<void> {
  const handle = await open(path, "w");
  const piece = randomBytes(16 * MiB);
  for (let at = 0; at < sizeBytes; at += piece.length) {
    piece.writeUInt32LE(at / piece.length, 0);
    piece.writeUInt32LE(randomInt(2 ** 32), 4096);
    // Vary each 4 KiB block so no two blocks of the image are equal.
    for (let block = 0; block < piece.length; block += 4096) piece.writeUInt32LE(at + block, block + 8);
    await handle.write(piece, 0, Math.min(piece.length, sizeBytes - at), at);
  }
  await handle.close();
}

/** Rewrites `count` distinct random 4 KiB blocks; returns their indexes, sorted. */
export async function changeRandomBlocks(path: string, sizeBytes: number, count: number): Promise<number[]> {
  const blocks = new Set<number>();
  while (blocks.size < count) blocks.add(randomInt(Math.floor(sizeBytes / 4096)));
  const handle = await open(path, "r+");
  for (const block of blocks) await handle.write(randomBytes(4096), 0, 4096, block * 4096);
  await handle.close();
  return [...blocks].sort((a, b) => a - b);
}

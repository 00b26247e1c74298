/** Source disk images for the end-to-end benches. */
import { randomBytes } from "node:crypto";
import { open, truncate, writeFile } from "node:fs/promises";
import { makeRandomImage } from "../dataPath/benchImage";

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

export type ImageKind = "random" | "half-zero" | "sparse";

/**
 * random: incompressible; half-zero: 1 MiB of random bytes then 1 MiB of zeros, over and over;
 * sparse: all zeros (a hole). Flushed to disk before it returns, so the kernel's write-back of
 * the new image does not compete with what is measured next.
 */
export async function makeImage(file: string, kind: ImageKind, sizeBytes: number): Promise<void> {
  await writeImage(file, kind, sizeBytes);
  const handle = await open(file, "r");
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

async function writeImage(file: string, kind: ImageKind, sizeBytes: number): Promise<void> {
  if (kind === "random") return makeRandomImage(file, sizeBytes);
  await writeFile(file, "");
  await truncate(file, sizeBytes);
  if (kind === "sparse") return;
  const handle = await open(file, "r+");
  try {
    for (let at = 0; at < sizeBytes; at += 2 * MiB)
      await handle.write(randomBytes(MiB), 0, Math.min(MiB, sizeBytes - at), at);
  } finally {
    await handle.close();
  }
}

/** The test backend's replica of one source disk: a plain file that acknowledged batches are applied to. */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, truncate, writeFile } from "node:fs/promises";
import type { Extent } from "../../shared/replication/wire";
import type { DiskMode } from "../../agent/run/protocol";

export interface ReplicaDisk {
  diskId: string;
  sizeBytes: number;
  nextSequence: number;
  mode: DiskMode;
  file: string;
  /** Trailer SHA-256 of every applied batch, by sequence: a resent one is answered as before. */
  applied: Map<number, string>;
}

export async function createReplica(
  diskId: string,
  sizeBytes: number,
  file: string,
  firstSequence: number,
): Promise<ReplicaDisk> {
  await writeFile(file, "");
  await truncate(file, sizeBytes);
  return { diskId, sizeBytes, nextSequence: firstSequence, mode: "Initial", file, applied: new Map() };
}

/** Forgets everything, as a backend that lost its data would. */
export async function wipeReplica(replica: ReplicaDisk, nextSequence: number): Promise<void> {
  await writeFile(replica.file, "");
  await truncate(replica.file, replica.sizeBytes);
  replica.applied.clear();
  replica.nextSequence = nextSequence;
}

export async function applyExtents(replica: ReplicaDisk, extents: Extent[]): Promise<void> {
  const handle = await open(replica.file, "r+");
  try {
    for (const extent of extents) {
      if (extent.kind === "data") {
        await handle.write(extent.data, 0, extent.data.length, extent.offset);
        continue;
      }
      const zeros = Buffer.alloc(Math.min(extent.length, 1024 * 1024));
      for (let at = 0; at < extent.length; at += zeros.length) {
        await handle.write(zeros, 0, Math.min(zeros.length, extent.length - at), extent.offset + at);
      }
    }
  } finally {
    await handle.close();
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

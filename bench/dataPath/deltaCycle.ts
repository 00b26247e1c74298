/**
 * One replication cycle as the data path runs it, without HTTP and storage: scan for changes,
 * encode a batch, decode and verify it, write its extents to a replica file, commit the map.
 */
import { writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { scanForChanges } from "../../agent/disk/changeScanner";
import type { DigestMap } from "../../agent/disk/digestMap";
import type { ChangedExtent } from "../../agent/disk/extentRuns";
import type { SourceDisk } from "../../agent/disk/sourceDisk";
import { AdaptiveCompressor, batchLimits, encodeBatch, readBatch } from "../../shared/replication/wire";

export interface CycleFigures {
  changedExtents: number;
  changedBytes: number;
  wireBytes: number;
  scanSeconds: number;
  sendApplySeconds: number;
  commitSeconds: number;
}

const header = {
  machineId: "m",
  diskId: "d",
  epoch: 1,
  sequence: 1,
  flags: { final: false, appConsistent: false, crashConsistent: true },
};

export async function runCycle(disk: SourceDisk, map: DigestMap, replicaPath: string): Promise<CycleFigures> {
  let started = process.hrtime.bigint();
  const lap = (): number => {
    const now = process.hrtime.bigint();
    const elapsed = Number(now - started) / 1e9;
    started = now;
    return elapsed;
  };
  const changes: ChangedExtent[] = [];
  for await (const change of scanForChanges(disk, map)) changes.push(change);
  const scanSeconds = lap();
  const wireBytes = await sendAndApply(changes, disk.sizeBytes, replicaPath);
  const sendApplySeconds = lap();
  await map.commit(changes.map((change) => change.update));
  const commitSeconds = lap();
  const changedBytes = changes.reduce((sum, { extent }) => sum + (extent.kind === "data" ? extent.data.length : 0), 0);
  return { changedExtents: changes.length, changedBytes, wireBytes, scanSeconds, sendApplySeconds, commitSeconds };
}

/** Encoder and decoder joined as a body would join them; returns the wire bytes. */
async function sendAndApply(changes: ChangedExtent[], diskSizeBytes: number, replicaPath: string): Promise<number> {
  let wireBytes = 0;
  async function* body(): AsyncGenerator<Buffer> {
    for await (const part of encodeBatch(
      header,
      changes.map((change) => change.extent),
      { compressor: new AdaptiveCompressor() },
    )) {
      wireBytes += part.length;
      yield part;
    }
  }
  const replica = await open(replicaPath, "r+");
  try {
    // One batch for the whole cycle here; the agent cuts initial replication into many.
    for await (const event of readBatch(body(), batchLimits(diskSizeBytes, { maxBatchBytes: 2 * diskSizeBytes }))) {
      // Synchronous pwrites, as rsync applies its deltas.
      if (event.type === "extent" && event.extent.kind === "data")
        writeSync(replica.fd, event.extent.data, 0, event.extent.data.length, event.extent.offset);
    }
    await replica.datasync();
  } finally {
    await replica.close();
  }
  return wireBytes;
}

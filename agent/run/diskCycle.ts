/**
 * One disk's part of a cycle: open its view and digest map, run the pass, and when the
 * server turns out to have lost acknowledged batches, start the map anew and send it all.
 */
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { BLOCK_BYTES } from "../disk/blockDigest";
import { DigestMap } from "../disk/digestMap";
import { openSourceDisk, type SourceDisk } from "../disk/sourceDisk";
import { LostAcks, runDiskPass, type PassContext, type PassFigures } from "./diskPass";
import type { JournalStore } from "./journal";
import type { Logger } from "./log";

export type DiskCycleContext = Omit<PassContext, "source" | "map">;

export const mapPath = (stateDir: string, diskId: string): string => path.join(stateDir, "maps", `${diskId}.map`);

export async function replicateDisk(
  ctx: DiskCycleContext,
  stateDir: string,
  viewPath: string,
  resetMap: boolean,
): Promise<PassFigures> {
  const source = await openSourceDisk(viewPath);
  try {
    return await passOnce(ctx, stateDir, source, resetMap);
  } catch (error) {
    if (!(error instanceof LostAcks)) throw error;
    const doubt =
      `the server expects sequence ${error.expectedSequence}, below the journal's: ` +
      "acknowledged batches were lost, sending the whole disk again";
    ctx.log.warn(`${ctx.diskId}: ${doubt}`);
    ctx.journal.updateDisk(ctx.diskId, (disk) =>
      Object.assign(disk, {
        nextSequence: error.expectedSequence,
        copyOffset: 0,
        copyComplete: disk.mode === "Delta" && disk.copyComplete,
        doubt,
        doubtAt: new Date().toISOString(),
      }),
    );
    return await passOnce(ctx, stateDir, source, true);
  } finally {
    await source.close();
  }
}

async function passOnce(
  ctx: DiskCycleContext,
  stateDir: string,
  source: SourceDisk,
  resetMap: boolean,
): Promise<PassFigures> {
  const map = await openMap(stateDir, ctx.diskId, source.sizeBytes, ctx.epoch, resetMap);
  try {
    noteFreshMap(map, ctx.journal, ctx.diskId, resetMap, ctx.log);
    return await runDiskPass({ ...ctx, source, map });
  } finally {
    await map.close();
  }
}

async function openMap(
  stateDir: string,
  diskId: string,
  diskSizeBytes: number,
  epoch: number,
  reset: boolean,
): Promise<DigestMap> {
  const file = mapPath(stateDir, diskId);
  await mkdir(path.dirname(file), { recursive: true });
  if (reset) await rm(file, { force: true });
  return DigestMap.open(file, { diskSizeBytes, blockBytes: BLOCK_BYTES, epoch });
}

/** A map that had to be started anew although the journal says blocks were acknowledged: say so. */
function noteFreshMap(map: DigestMap, journal: JournalStore, diskId: string, reset: boolean, log: Logger): void {
  const disk = journal.disk(diskId);
  if (!map.fresh || reset || !disk || (disk.mode !== "Delta" && disk.copyOffset === 0)) return;
  const doubt = "the digest map was missing, damaged or from another epoch: unchanged blocks will be sent again";
  log.warn(`${diskId}: ${doubt}`);
  journal.updateDisk(diskId, (next) => Object.assign(next, { doubt, doubtAt: new Date().toISOString() }));
}

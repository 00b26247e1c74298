/**
 * The scan and the delta cycle on a 1 GiB image (page cache warm), against rsync --inplace
 * --no-whole-file on the same change. Run: npx tsc -p tsconfig.json && node dist/bench/dataPath/scanBench.js [GiB]
 */
import { execFileSync } from "node:child_process";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DigestMap } from "../../agent/disk/digestMap";
import { openSourceDisk } from "../../agent/disk/sourceDisk";
import { MiB, report, seconds } from "./benchKit";
import { changeRandomBlocks, makeRandomImage } from "./benchImage";
import { runCycle, type CycleFigures } from "./deltaCycle";

const SIZE = Number(process.argv[2] ?? 1) * 1024 * MiB;

function printCycle(label: string, figures: CycleFigures): void {
  const total = figures.scanSeconds + figures.sendApplySeconds + figures.commitSeconds;
  report(`${label}: scan (detect)`, figures.scanSeconds, "s", `${(SIZE / 1e6 / figures.scanSeconds).toFixed(0)} MB/s`);
  report(`${label}: encode+decode+verify+apply`, figures.sendApplySeconds, "s", `${figures.changedExtents} extents`);
  report(`${label}: commit digest map`, figures.commitSeconds, "s");
  report(`${label}: total`, total, "s", `wire/changed ${(figures.wireBytes / Math.max(1, figures.changedBytes)).toFixed(3)}`);
}

function rsyncSeconds(source: string, target: string, blockSize?: number): number | undefined {
  try {
    const args = ["--inplace", "--no-whole-file", ...(blockSize ? [`-B${blockSize}`] : []), source, target];
    const started = process.hrtime.bigint();
    execFileSync("rsync", args);
    return Number(process.hrtime.bigint() - started) / 1e9;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "ferry-scan-"));
  const image = join(dir, "disk.img");
  const replica = join(dir, "replica.img");
  try {
    await makeRandomImage(image, SIZE);
    await copyFile(image, replica);
    const disk = await openSourceDisk(image);
    const map = await DigestMap.open(join(dir, "disk.map"), { diskSizeBytes: SIZE, blockBytes: 4096, epoch: 1 });
    printCycle("initial (all blocks)", await runCycle(disk, map, replica));
    report("rescan, nothing changed", await seconds(async () => runCycle(disk, map, replica)), "s");
    for (const copy of ["a", "b"]) await copyFile(image, `${replica}.${copy}`);
    const changed = await changeRandomBlocks(image, SIZE, Math.round(SIZE / 4096 / 100));
    printCycle(`1% change (${changed.length} blocks)`, await runCycle(disk, map, replica));
    execFileSync("cmp", [image, replica]);
    const rsyncDefault = rsyncSeconds(image, `${replica}.a`);
    const rsync4k = rsyncSeconds(image, `${replica}.b`, 4096);
    if (rsyncDefault !== undefined && rsync4k !== undefined) {
      report("rsync --inplace --no-whole-file", rsyncDefault, "s");
      report("rsync --inplace --no-whole-file -B4096", rsync4k, "s");
    }
    await map.close();
    await disk.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void main();

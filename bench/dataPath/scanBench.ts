// The scan and one delta cycle (detect + encode + decode/verify + apply + commit) of a 1%
// change in random 4 KiB writes on a 1 GiB image, page cache warm, against
// `rsync --inplace --no-whole-file --ignore-times -B4096` on the same change in the same run.
// Run alone: `npm run build && node dist/bench/dataPath/scanBench.js [GiB]`.
import { execFileSync } from "node:child_process";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DigestMap } from "../../agent/disk/digestMap";
import { openSourceDisk } from "../../agent/disk/sourceDisk";
import type { Bench } from "../support/bench";
import { report } from "../support/report";
import { MiB, runAlone, seconds } from "./benchKit";
import { changeRandomBlocks, makeRandomImage } from "./benchImage";
import { runCycle, type CycleFigures } from "./deltaCycle";

function printCycle(
  label: string,
  sizeBytes: number,
  figures: CycleFigures,
  baseline?: { name: string; value: number },
): void {
  const total = figures.scanSeconds + figures.sendApplySeconds + figures.commitSeconds;
  report({
    name: `${label}: scan (detect), ${(sizeBytes / 1e6 / figures.scanSeconds).toFixed(0)} MB/s`,
    value: figures.scanSeconds,
    unit: "s",
  });
  report({
    name: `${label}: encode+decode+verify+apply, ${figures.changedExtents} extents`,
    value: figures.sendApplySeconds,
    unit: "s",
  });
  report({ name: `${label}: commit digest map`, value: figures.commitSeconds, unit: "s" });
  report({
    name: `${label}: wire bytes / changed bytes`,
    value: figures.wireBytes / Math.max(1, figures.changedBytes),
    unit: "×",
  });
  report({ name: `${label}: whole cycle`, value: total, unit: "s", baseline });
}

function rsyncSeconds(source: string, target: string): number | undefined {
  try {
    const started = process.hrtime.bigint();
    // --ignore-times: the copy has the same size and maybe the same mtime second, which rsync would skip.
    execFileSync("rsync", ["--inplace", "--no-whole-file", "--ignore-times", "-B4096", source, target]);
    return Number(process.hrtime.bigint() - started) / 1e9;
  } catch {
    return undefined;
  }
}

async function benchIn(dir: string, sizeBytes: number): Promise<void> {
  const image = join(dir, "disk.img");
  const replica = join(dir, "replica.img");
  await makeRandomImage(image, sizeBytes);
  await copyFile(image, replica);
  const disk = await openSourceDisk(image);
  const map = await DigestMap.open(join(dir, "disk.map"), { diskSizeBytes: sizeBytes, blockBytes: 4096, epoch: 1 });
  try {
    printCycle("initial copy (every block)", sizeBytes, await runCycle(disk, map, replica));
    report({ name: "rescan, nothing changed", value: await seconds(() => runCycle(disk, map, replica)), unit: "s" });
    await copyFile(image, `${replica}.rsync`);
    const changed = await changeRandomBlocks(image, sizeBytes, Math.round(sizeBytes / 4096 / 100));
    const cycle = await runCycle(disk, map, replica);
    execFileSync("cmp", [image, replica]);
    const rsync = rsyncSeconds(image, `${replica}.rsync`);
    if (rsync !== undefined)
      report({ name: "rsync --inplace --no-whole-file --ignore-times -B4096, same change", value: rsync, unit: "s" });
    printCycle(
      `1% change (${changed.length} blocks)`,
      sizeBytes,
      cycle,
      rsync === undefined ? undefined : { name: "rsync -B4096", value: rsync },
    );
  } finally {
    await map.close();
    await disk.close();
  }
}

export const scanBench: Bench = {
  name: "dataPath/scan",
  async run() {
    const dir = await mkdtemp(join(tmpdir(), "ferry-scan-"));
    try {
      await benchIn(dir, Number(process.argv[2] ?? 1) * 1024 * MiB);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

if (require.main === module) runAlone(scanBench);

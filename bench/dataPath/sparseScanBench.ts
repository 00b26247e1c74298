// Scans a sparse 100 GiB image (1,000 scattered data blocks) twice, committing as it goes,
// to show that memory stays bounded whatever the disk size (target: RSS < 150 MiB). Long:
// not for every bench run. Run alone: `npm run build && node dist/bench/dataPath/sparseScanBench.js [GiB]`.
import { randomBytes, randomInt } from "node:crypto";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scanForChanges } from "../../agent/disk/changeScanner";
import { DigestMap, type DigestUpdate } from "../../agent/disk/digestMap";
import { openSourceDisk, type SourceDisk } from "../../agent/disk/sourceDisk";
import type { Bench } from "../support/bench";
import { report } from "../support/report";
import { MiB, runAlone } from "./benchKit";

const SIZE = Number(process.argv[2] ?? 100) * 1024 * MiB;
const DATA_BLOCKS = 1000;

async function makeSparseImage(path: string): Promise<void> {
  const handle = await open(path, "w");
  await handle.truncate(SIZE);
  for (let i = 0; i < DATA_BLOCKS; i += 1)
    await handle.write(randomBytes(4096), 0, 4096, randomInt(SIZE / 4096) * 4096);
  await handle.close();
}

/** Commits every 256 extents, as an agent commits per acknowledged batch; tracks the peak RSS. */
async function scanOnce(
  disk: SourceDisk,
  map: DigestMap,
): Promise<{ seconds: number; extents: number; dataBytes: number; peakRss: number }> {
  const started = process.hrtime.bigint();
  let extents = 0;
  let dataBytes = 0;
  let peakRss = 0;
  let pending: DigestUpdate[] = [];
  for await (const change of scanForChanges(disk, map)) {
    extents += 1;
    dataBytes += change.extent.kind === "data" ? change.extent.data.length : 0;
    pending.push(change.update);
    if (pending.length < 256) continue;
    await map.commit(pending);
    pending = [];
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  await map.commit(pending);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, extents, dataBytes, peakRss };
}

export const sparseScanBench: Bench = {
  name: "dataPath/sparseScan",
  async run() {
    const dir = await mkdtemp(join(tmpdir(), "ferry-sparse-"));
    try {
      const image = join(dir, "sparse.img");
      await makeSparseImage(image);
      const disk = await openSourceDisk(image);
      const map = await DigestMap.open(join(dir, "disk.map"), { diskSizeBytes: SIZE, blockBytes: 4096, epoch: 1 });
      for (const pass of ["first scan (map empty)", "second scan (nothing changed)"]) {
        const result = await scanOnce(disk, map);
        const label = `${SIZE / 1024 / MiB} GiB sparse, ${pass}, ${result.extents} extents, ${result.dataBytes} data bytes`;
        report({ name: label, value: SIZE / 1e6 / result.seconds, unit: "MB/s" });
        report({ name: `${label}, peak RSS`, value: result.peakRss / MiB, unit: "MiB" });
      }
      report({ name: "max RSS of the process", value: process.resourceUsage().maxRSS / 1024, unit: "MiB" });
      await map.close();
      await disk.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

if (require.main === module) runAlone(sparseScanBench);

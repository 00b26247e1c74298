// Should the scan use both cores? Reads and digests every 4 KiB block of a 1 GiB image (page
// cache warm) on one thread — reads on the libuv pool overlapping the digests, as
// scanForChanges does — against the same split over 2 worker threads (started beforehand).
// Run alone: `npm run build && node dist/bench/dataPath/parallelScanBench.js`.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker, isMainThread, parentPort } from "node:worker_threads";
import { dataDigest } from "../../agent/disk/blockDigest";
import { readChunks } from "../../agent/disk/chunkReader";
import { openSourceDisk } from "../../agent/disk/sourceDisk";
import type { Bench } from "../support/bench";
import { report } from "../support/report";
import { MiB, runAlone, seconds } from "./benchKit";
import { makeRandomImage } from "./benchImage";

const SIZE = 1024 * MiB;

async function digestRange(path: string, start: number, end: number): Promise<number> {
  const disk = await openSourceDisk(path);
  let blocks = 0;
  for await (const chunk of readChunks(disk, { start, end })) {
    for (let at = 0; at < chunk.data.length; at += 4096) dataDigest(chunk.data.subarray(at, at + 4096));
    blocks += chunk.data.length / 4096;
  }
  await disk.close();
  return blocks;
}

function ask(worker: Worker, job: { path: string; start: number; end: number }): Promise<number> {
  return new Promise((resolve) => {
    worker.once("message", resolve);
    worker.postMessage(job);
  });
}

export const parallelScanBench: Bench = {
  name: "dataPath/parallelScan",
  async run() {
    const dir = await mkdtemp(join(tmpdir(), "ferry-par-"));
    const workers = [new Worker(__filename), new Worker(__filename)];
    try {
      const image = join(dir, "disk.img");
      await makeRandomImage(image, SIZE);
      await digestRange(image, 0, SIZE);
      const one = Math.min(
        await seconds(() => digestRange(image, 0, SIZE)),
        await seconds(() => digestRange(image, 0, SIZE)),
      );
      report({ name: "read+digest 1 GiB, one thread", value: one, unit: "s" });
      const half = SIZE / 2;
      const split = () =>
        Promise.all(workers.map((worker, i) => ask(worker, { path: image, start: i * half, end: (i + 1) * half })));
      const two = Math.min(await seconds(split), await seconds(split));
      report({
        name: "read+digest 1 GiB, two worker threads",
        value: two,
        unit: "s",
        baseline: { name: "one thread", value: one },
      });
    } finally {
      await Promise.all(workers.map((worker) => worker.terminate()));
      await rm(dir, { recursive: true, force: true });
    }
  },
};

if (!isMainThread) {
  parentPort?.on("message", (job: { path: string; start: number; end: number }) => {
    void digestRange(job.path, job.start, job.end).then((blocks) => parentPort?.postMessage(blocks));
  });
} else if (require.main === module) {
  runAlone(parallelScanBench);
}

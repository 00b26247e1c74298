/**
 * Agent throughput on incompressible data: initial copy of a 1 GiB random image to a local
 * sink that only acknowledges (loopback HTTP does ~4 GB/s here, so this is the agent's own
 * ceiling: read, digest, compress probe, spool, send).
 *   npm run build && node dist/bench/agent/randomImage.js
 */
import { randomBytes } from "node:crypto";
import { openSync, writeSync, closeSync } from "node:fs";
import path from "node:path";
import { benchDir, replicateOnce } from "./agentBenchKit";

const MiB = 1024 * 1024;

async function main(): Promise<void> {
  const sizeBytes = Number(process.env.BENCH_RANDOM_MIB ?? 1024) * MiB;
  const dir = benchDir();
  try {
    const image = path.join(dir.path, "random.img");
    const fd = openSync(image, "w");
    for (let at = 0; at < sizeBytes; at += 16 * MiB) writeSync(fd, randomBytes(Math.min(16 * MiB, sizeBytes - at)));
    closeSync(fd);
    const result = await replicateOnce(dir.path, image, sizeBytes);
    console.log(`random image                ${(sizeBytes / MiB).toFixed(0)} MiB`);
    console.log(
      `initial copy                ${result.seconds.toFixed(2)} s  = ${(sizeBytes / 1e6 / result.seconds).toFixed(0)} MB/s`,
    );
    console.log(
      `bytes on the wire           ${(result.bodyBytes / MiB).toFixed(1)} MiB (overhead ${(100 * (result.bodyBytes / sizeBytes - 1)).toFixed(3)}%)`,
    );
    console.log(`agent peak RSS (VmHWM)      ${(result.peakRssBytes / MiB).toFixed(1)} MiB`);
  } finally {
    dir.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

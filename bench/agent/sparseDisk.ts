/**
 * Bounded memory on a huge disk: the agent's full initial-copy path (scan, digest, spool,
 * send, commit) over a 100 GiB sparse image against a sink that only acknowledges; prints
 * the agent's peak RSS. Not in the test suite: it reads 100 GiB.
 *   npm run build && node dist/bench/agent/sparseDisk.js      (BENCH_SPARSE_GIB=10 for a shorter run)
 */
import { truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { benchDir, replicateOnce } from "./agentBenchKit";

const GiB = 1024 ** 3;

async function main(): Promise<void> {
  const sizeBytes = Number(process.env.BENCH_SPARSE_GIB ?? 100) * GiB;
  const dir = benchDir();
  try {
    const image = path.join(dir.path, "sparse.img");
    writeFileSync(image, "");
    truncateSync(image, sizeBytes);
    // A little data at both ends, so the scan does real work and not only zero runs.
    writeFileSync(image, Buffer.alloc(4 * 1024 * 1024, 0x5a), { flag: "r+" });
    const result = await replicateOnce(dir.path, image, sizeBytes);
    console.log(`sparse image                ${(sizeBytes / GiB).toFixed(0)} GiB`);
    console.log(
      `initial copy (scan+send)    ${result.seconds.toFixed(1)} s  (${(sizeBytes / 1e6 / result.seconds).toFixed(0)} MB/s of disk scanned)`,
    );
    console.log(`bytes on the wire           ${(result.bodyBytes / 1024 / 1024).toFixed(1)} MiB`);
    console.log(`agent peak RSS (VmHWM)      ${(result.peakRssBytes / 1024 / 1024).toFixed(1)} MiB  (bound: 150 MiB)`);
  } finally {
    dir.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

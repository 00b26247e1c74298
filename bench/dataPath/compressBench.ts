// Compression candidates on 1 MiB extents of random, half-zero and text-like data, one core:
// zlib deflate level 1 (the baseline), LZ4 on every extent, and the encoder's adaptive LZ4.
// Run alone: `npm run build && node dist/bench/dataPath/compressBench.js`.
import { deflateRawSync } from "node:zlib";
import { AdaptiveCompressor, lz4Codec } from "../../shared/replication/wire";
import type { Bench } from "../support/bench";
import { report } from "../support/report";
import { MiB, runAlone, sampleData, throughput } from "./benchKit";

const TOTAL = 256 * MiB;
const EXTENT = MiB;

async function measure(data: Buffer, compress: (extent: Buffer) => Buffer): Promise<{ rate: number; ratio: number }> {
  let stored = 0;
  const rate = await throughput(
    TOTAL,
    () => {
      stored = 0;
      for (let at = 0; at < TOTAL; at += EXTENT)
        stored += Math.min(EXTENT, compress(data.subarray(at, at + EXTENT)).length);
    },
    2,
  );
  return { rate, ratio: stored / TOTAL };
}

async function runKind(kind: "random" | "half-zero" | "text"): Promise<void> {
  const data = sampleData(kind, TOTAL);
  const deflate = await measure(data, (extent) => deflateRawSync(extent, { level: 1 }));
  const baseline = { name: "deflate level 1", value: deflate.rate };
  report({
    name: `compress ${kind}, deflate level 1 (stored/raw ${deflate.ratio.toFixed(3)})`,
    value: deflate.rate,
    unit: "MB/s",
  });
  const lz4 = await measure(data, (extent) => lz4Codec.compress(extent));
  report({
    name: `compress ${kind}, lz4 every extent (stored/raw ${lz4.ratio.toFixed(3)})`,
    value: lz4.rate,
    unit: "MB/s",
    baseline,
  });
  const stream = new AdaptiveCompressor();
  const adaptive = await measure(data, (extent) => stream.choose(extent).stored);
  report({
    name: `compress ${kind}, adaptive lz4 over one stream, chosen: skips after misses (stored/raw ${adaptive.ratio.toFixed(3)})`,
    value: adaptive.rate,
    unit: "MB/s",
    baseline,
  });
  const probing = await measure(data, (extent) => new AdaptiveCompressor().choose(extent).stored);
  report({ name: `compress ${kind}, adaptive lz4 probing every extent`, value: probing.rate, unit: "MB/s", baseline });
  const stored = Array.from({ length: TOTAL / EXTENT }, (_, i) =>
    lz4Codec.compress(data.subarray(i * EXTENT, (i + 1) * EXTENT)),
  );
  const inflate = await throughput(TOTAL, () => stored.forEach((bytes) => lz4Codec.decompress(bytes, EXTENT)), 2);
  report({ name: `decompress ${kind}, lz4`, value: inflate, unit: "MB/s" });
}

export const compressBench: Bench = {
  name: "dataPath/compress",
  async run() {
    for (const kind of ["random", "half-zero", "text"] as const) await runKind(kind);
  },
};

if (require.main === module) runAlone(compressBench);

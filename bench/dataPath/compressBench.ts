/**
 * Compression candidates on 1 MiB extents: zlib deflate level 1, raw LZ4, and the adaptive
 * LZ4 the encoder uses. Run: npx tsc -p tsconfig.json && node dist/bench/dataPath/compressBench.js
 */
import { deflateRawSync } from "node:zlib";
import { AdaptiveCompressor } from "../../shared/replication/adaptiveCompressor";
import { lz4Codec } from "../../shared/replication/extentCodec";
import { MiB, report, sampleData, throughput } from "./benchKit";

const TOTAL = 256 * MiB;
const EXTENT = MiB;

async function measure(label: string, data: Buffer, compress: (extent: Buffer) => Buffer): Promise<void> {
  let stored = 0;
  const rate = await throughput(TOTAL, () => {
    stored = 0;
    for (let at = 0; at < TOTAL; at += EXTENT) stored += Math.min(EXTENT, compress(data.subarray(at, at + EXTENT)).length);
  }, 2);
  report(label, rate, "MB/s", `stored/raw ${(stored / TOTAL).toFixed(3)}`);
}

async function main(): Promise<void> {
  for (const kind of ["random", "half-zero", "text"] as const) {
    const data = sampleData(kind, TOTAL);
    console.log(`${kind} data, ${EXTENT / MiB} MiB extents, one core`);
    await measure("  deflate level 1", data, (extent) => deflateRawSync(extent, { level: 1 }));
    await measure("  lz4 (lz4-napi), every extent", data, (extent) => lz4Codec.compress(extent));
    await measure("  adaptive lz4 (chosen)", data, (extent) => new AdaptiveCompressor().choose(extent).stored);
    const streaming = new AdaptiveCompressor();
    await measure("  adaptive lz4, one compressor for the run", data, (extent) => streaming.choose(extent).stored);
    const compressed = Array.from({ length: TOTAL / EXTENT }, (_, i) => lz4Codec.compress(data.subarray(i * EXTENT, (i + 1) * EXTENT)));
    const rate = await throughput(TOTAL, () => compressed.forEach((stored) => lz4Codec.decompress(stored, EXTENT)), 2);
    report("  lz4 decompress", rate);
  }
}

void main();

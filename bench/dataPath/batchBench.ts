// Change-batch encode (adaptive LZ4) and streaming decode+verify on 256 MiB of extents,
// against SHA-256 over the same bytes (the floor: both sides hash everything).
// Run alone: `npm run build && node dist/bench/dataPath/batchBench.js`.
import { createHash } from "node:crypto";
import { AdaptiveCompressor, batchLimits, encodeBatch, readBatch, type Extent } from "../../shared/replication/wire";
import type { Bench } from "../support/bench";
import { report } from "../support/report";
import { MiB, runAlone, sampleData, throughput } from "./benchKit";

const TOTAL = 256 * MiB;
const header = {
  machineId: "m",
  diskId: "d",
  epoch: 1,
  sequence: 1,
  flags: { final: false, appConsistent: false, crashConsistent: true },
};

function extents(data: Buffer, extentBytes: number): Extent[] {
  return Array.from({ length: data.length / extentBytes }, (_, i) => ({
    kind: "data",
    offset: i * extentBytes,
    data: data.subarray(i * extentBytes, (i + 1) * extentBytes),
  }));
}

async function encode(list: Extent[]): Promise<Buffer[]> {
  const parts: Buffer[] = [];
  for await (const part of encodeBatch(header, list, { compressor: new AdaptiveCompressor() })) parts.push(part);
  return parts;
}

/** Feeds the wire in 64 KiB pieces, as an HTTP body arrives. */
async function* asBody(parts: Buffer[]): AsyncGenerator<Buffer> {
  for (const part of parts) for (let at = 0; at < part.length; at += 65536) yield part.subarray(at, at + 65536);
}

async function runCase(
  kind: "random" | "half-zero" | "text",
  extentBytes: number,
  baseline: { name: string; value: number },
): Promise<void> {
  const list = extents(sampleData(kind, TOTAL), extentBytes);
  let wire: Buffer[] = [];
  const encodeRate = await throughput(TOTAL, async () => (wire = await encode(list)), 2);
  const wireBytes = wire.reduce((sum, part) => sum + part.length, 0);
  const limits = batchLimits(TOTAL, { maxBatchBytes: 2 * TOTAL });
  const decodeRate = await throughput(
    TOTAL,
    async () => {
      for await (const event of readBatch(asBody(wire), limits)) void event;
    },
    2,
  );
  const label = `${kind}, ${extentBytes >= MiB ? `${extentBytes / MiB} MiB` : `${extentBytes / 1024} KiB`} extents`;
  report({
    name: `encode ${label} (wire/raw ${(wireBytes / TOTAL).toFixed(3)})`,
    value: encodeRate,
    unit: "MB/s",
    baseline,
  });
  report({ name: `decode+verify ${label}`, value: decodeRate, unit: "MB/s", baseline });
}

export const batchBench: Bench = {
  name: "dataPath/batch",
  async run() {
    const sample = sampleData("random", TOTAL);
    const sha = await throughput(TOTAL, () => createHash("sha256").update(sample).digest(), 2);
    const baseline = { name: "sha256", value: sha };
    report({ name: "sha256 over the same bytes", value: sha, unit: "MB/s" });
    for (const extentBytes of [MiB, 4096]) {
      for (const kind of ["random", "half-zero", "text"] as const) await runCase(kind, extentBytes, baseline);
    }
  },
};

if (require.main === module) runAlone(batchBench);

/**
 * Change-batch encode (with adaptive LZ4) and streaming decode+verify, on 256 MiB of 1 MiB
 * extents. Run: npx tsc -p tsconfig.json && node dist/bench/dataPath/batchBench.js
 */
import { AdaptiveCompressor } from "../../shared/replication/adaptiveCompressor";
import type { Extent } from "../../shared/replication/batchFormat";
import { readBatch } from "../../shared/replication/batchDecoder";
import { encodeBatch } from "../../shared/replication/batchEncoder";
import { batchLimits } from "../../shared/replication/batchLimits";
import { MiB, report, sampleData, throughput } from "./benchKit";

const TOTAL = 256 * MiB;
const header = { machineId: "m", diskId: "d", epoch: 1, sequence: 1, flags: { final: false, appConsistent: false, crashConsistent: true } };

function extents(data: Buffer, extentBytes: number): Extent[] {
  return Array.from({ length: data.length / extentBytes }, (_, i) => ({ kind: "data", offset: i * extentBytes, data: data.subarray(i * extentBytes, (i + 1) * extentBytes) }));
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

async function main(): Promise<void> {
  for (const extentBytes of [MiB, 4096]) {
    for (const kind of ["random", "half-zero", "text"] as const) {
      const list = extents(sampleData(kind, TOTAL), extentBytes);
      let wire: Buffer[] = [];
      const encodeRate = await throughput(TOTAL, async () => (wire = await encode(list)), 2);
      const wireBytes = wire.reduce((sum, part) => sum + part.length, 0);
      const decodeRate = await throughput(TOTAL, async () => {
        for await (const event of readBatch(asBody(wire), batchLimits(TOTAL, { maxBatchBytes: 2 * TOTAL, maxExtents: 1 << 20 }))) void event;
      }, 2);
      const label = `${kind}, ${extentBytes >= MiB ? `${extentBytes / MiB} MiB` : `${extentBytes / 1024} KiB`} extents`;
      report(`encode ${label}`, encodeRate, "MB/s", `wire/raw ${(wireBytes / TOTAL).toFixed(3)}`);
      report(`decode+verify ${label}`, decodeRate);
    }
  }
}

void main();

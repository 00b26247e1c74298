// Candidate block digests for the change scan, on every 4 KiB block of 1 GiB in memory, one
// core, against SHA-256 in the same run. Run alone: `npm run build && node dist/bench/dataPath/digestBench.js`.
import { hash } from "node:crypto";
import { crc32 } from "node:zlib";
import { xxh64 } from "@node-rs/xxhash";
import type { Bench } from "../support/bench";
import { report } from "../support/report";
import { MiB, runAlone, sampleData, throughput } from "./benchKit";

const TOTAL = 1024 * MiB;
const BLOCK = 4096;

/** Two 32-bit multiply-rotate lanes over every word: a JS stand-in for a 64-bit hash. */
function jsTwoLane(block: Buffer): number {
  const words = new Int32Array(block.buffer, block.byteOffset, block.length >> 2);
  let a = 0x9e3779b1 | 0;
  let b = 0x85ebca77 | 0;
  for (let i = 0; i < words.length; i += 1) {
    const w = words[i] as number;
    a = Math.imul(((a ^ w) << 13) | ((a ^ w) >>> 19), 0x01000193);
    b = Math.imul(((b + w) << 7) | ((b + w) >>> 25), 0x5bd1e995);
  }
  return a ^ b;
}

const candidates: Array<[string, (block: Buffer) => unknown]> = [
  ["sha256", (block) => hash("sha256", block, "buffer")],
  ["md5", (block) => hash("md5", block, "buffer")],
  ["sha1", (block) => hash("sha1", block, "buffer")],
  ["crc32 (32 bits)", (block) => crc32(block)],
  ["crc32 of each half (64 bits)", (block) => crc32(block.subarray(0, 2048)) ^ crc32(block.subarray(2048))],
  ["js two-lane multiply (64 bits)", jsTwoLane],
  ["xxh64 native (chosen)", (block) => xxh64(block)],
];

export const digestBench: Bench = {
  name: "dataPath/digest",
  async run() {
    const data = sampleData("random", TOTAL);
    let baseline: { name: string; value: number } | undefined;
    for (const [label, digest] of candidates) {
      const value = await throughput(
        TOTAL,
        () => {
          for (let at = 0; at < TOTAL; at += BLOCK) digest(data.subarray(at, at + BLOCK));
        },
        2,
      );
      const name = `digest 4 KiB blocks, ${label}`;
      report({ name, value, unit: "MB/s", baseline });
      baseline ??= { name, value };
    }
  },
};

if (require.main === module) runAlone(digestBench);

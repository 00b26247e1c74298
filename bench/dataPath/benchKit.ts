/** Timing and data helpers shared by the data-path micro-benchmarks. */
import { randomBytes } from "node:crypto";
import type { Bench } from "../support/bench";

export const MiB = 1024 * 1024;

/** Best of `repeats` runs, in MB/s (10^6 bytes per second, as storage figures are quoted). */
export async function throughput(bytes: number, run: () => unknown, repeats = 3): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeats; i += 1) best = Math.min(best, await seconds(run));
  return bytes / 1e6 / best;
}

export async function seconds(run: () => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Runs a bench on its own (`node dist/bench/dataPath/<name>.js`); these need no storage. */
export function runAlone(bench: Bench): void {
  bench
    .run({ storage: () => Promise.reject(new Error("data-path benches use no storage")) })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}

/** Test data kinds: random (incompressible), half-zero (each 4 KiB block half zeros), and text-like. */
export function sampleData(kind: "random" | "half-zero" | "text", size: number): Buffer {
  if (kind === "random") return randomBytes(size);
  if (kind === "half-zero") {
    const out = randomBytes(size);
    for (let at = 0; at < size; at += 4096) out.fill(0, at + 2048, at + 4096);
    return out;
  }
  return textLike(size);
}

/** Words drawn at random from a small vocabulary: compresses about like logs and source. */
function textLike(size: number): Buffer {
  const words =
    "the disk block change batch extent replica agent server point time data write read zero run of to and a is in for".split(
      " ",
    );
  const out = Buffer.alloc(size);
  const pick = randomBytes(size / 2);
  let at = 0;
  for (let i = 0; at < size; i += 1)
    at += out.write(`${words[(pick[i % pick.length] as number) % words.length]}${i % 13 === 0 ? "\n" : " "}`, at);
  return out;
}

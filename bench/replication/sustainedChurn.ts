/**
 * Sustained churn: random 4 KiB writes at a fixed rate on a replicated 1 GiB disk for a bounded
 * time, recovery points every FERRY_BENCH_CHURN_INTERVAL seconds (default 15); lag p99 measured
 * per write (write → a point whose source time is after it exists), and to a processed point
 * (its batches applied to the replica: apply keeps up). Each rate runs on a fresh stack, so no
 * phase starts behind the backlog of another. Starts at 20 MB/s (Site Recovery's per-disk
 * limit) and goes down the list until both lags hold p99 ≤ 60 s.
 *
 * Azurite keeps its data in memory, as in the other benches, unless FERRY_BENCH_AZURITE_ON_DISK=1.
 * Every point is a snapshot keeping the pages written since the one before; in memory Azurite
 * refuses writes once it holds half the RAM (12 GiB here), which 10 MB/s with a point every
 * 15 s reaches within the run (docs/data-path.md §8). On disk it does not stop, but is slower.
 *
 * The baseline is storage's own ceiling for this load: random 4 KiB page writes straight into
 * the same Azurite, 8 in flight, as MB/s. An in-place replica cannot absorb churn faster.
 */
import path from "node:path";
import { routes } from "../../client";
import type { Bench } from "../support/bench";
import { report } from "../support/report";
import { withStack } from "../e2e/benchRun";
import { ChurnWriter } from "../e2e/churnWriter";
import { GiB, makeImage } from "../e2e/images";
import { rawScatteredWrites } from "../e2e/rawUpload";
import { lagPercentile, type PointSeen } from "../e2e/lag";
import { replicate, replicatingAt, type ReplicatedMachine } from "../e2e/replicatedMachine";
import type { FerryStack } from "../e2e/ferryStack";
import { PointWatcher } from "../e2e/pointWatcher";

const sizeBytes = Number(process.env.FERRY_BENCH_IMAGE_GIB ?? 1) * GiB;
const intervalSeconds = Number(process.env.FERRY_BENCH_CHURN_INTERVAL ?? 15);
const rates = (process.env.FERRY_BENCH_CHURN_RATES ?? "20,10,5,2.5").split(",").map(Number);
const seconds = Number(process.env.FERRY_BENCH_CHURN_SECONDS ?? 180);
const LAG_LIMIT_SECONDS = 60;
const azuriteOnDisk = process.env.FERRY_BENCH_AZURITE_ON_DISK === "1";

interface Phase {
  rate: number;
  achievedMBps: number;
  p99: number;
  p50: number;
  cycles: number;
  meanCycleSeconds: number;
  meanWireMiB: number;
  /** Lag to a processed point (its batches applied to the replica), p99. */
  processedP99: number;
  /** Seconds from the end of the writes until the last point was processed (undefined: not within the wait). */
  caughtUpSeconds: number | undefined;
}

async function churnPhase(
  stack: FerryStack,
  machine: ReplicatedMachine,
  image: string,
  rate: number,
  seconds: number,
): Promise<Phase> {
  const firstCycle = machine.cycles.length;
  const writer = new ChurnWriter(image, sizeBytes, rate * 1e6);
  const watcher = new PointWatcher(stack, machine.itemId);
  const startedAt = Date.now();
  watcher.start();
  writer.start();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  writer.stop();
  const stoppedAt = Date.now();
  // Drain: wait (bounded) for a cycle that began after the last write; writes left uncovered lag until now.
  await machine
    .nextCycle((c) => c.endedAt - c.seconds * 1000 >= stoppedAt, (seconds + 3 * intervalSeconds) * 1000)
    .catch(() => undefined);
  const now = Date.now();
  const listed = await stack.project.listAll(routes.listRecoveryPoints, { params: { itemId: machine.itemId } });
  const sourceOf = new Map(listed.map((point) => [point.id, Date.parse(point.time)]));
  const cycles = machine.cycles.slice(firstCycle);
  const points: PointSeen[] = cycles.flatMap((c) => {
    const sourceAt = sourceOf.get(c.recoveryPointId);
    return sourceAt === undefined ? [] : [{ sourceAt, existsAt: c.endedAt }];
  });
  const during = cycles.filter((c) => c.endedAt >= startedAt);
  // How far apply is behind: wait (bounded) for the newest point to be processed.
  const newest = cycles.at(-1)?.recoveryPointId;
  const caughtUp = newest === undefined ? undefined : await watcher.untilProcessed(newest, 300_000);
  await watcher.stop();
  const processedPoints: PointSeen[] = cycles.flatMap((c) => {
    const sourceAt = sourceOf.get(c.recoveryPointId);
    const processedAt = watcher.processedAt.get(c.recoveryPointId);
    return sourceAt === undefined || processedAt === undefined ? [] : [{ sourceAt, existsAt: processedAt }];
  });
  return {
    rate,
    achievedMBps: writer.bytesWritten / 1e6 / ((stoppedAt - startedAt) / 1000),
    processedP99: lagPercentile(writer.ticks, processedPoints, 0.99, Date.now()),
    caughtUpSeconds: caughtUp === undefined ? undefined : (caughtUp - stoppedAt) / 1000,
    p99: lagPercentile(writer.ticks, points, 0.99, now),
    p50: lagPercentile(writer.ticks, points, 0.5, now),
    cycles: during.length,
    meanCycleSeconds: during.reduce((s, c) => s + c.seconds, 0) / Math.max(1, during.length),
    meanWireMiB: during.reduce((s, c) => s + c.wireMiB, 0) / Math.max(1, during.length),
  };
}

function reportPhase(label: string, phase: Phase, ceiling: number): void {
  const name = `${label}: ${phase.rate} MB/s asked (${phase.achievedMBps.toFixed(1)} written) for ${seconds} s, ${phase.cycles} cycles of ${phase.meanCycleSeconds.toFixed(1)} s / ${phase.meanWireMiB.toFixed(0)} MiB on the wire on average`;
  report({ name: `${name}, lag p50`, value: phase.p50, unit: "s" });
  report({
    name: `${name}, lag p99`,
    value: phase.p99,
    unit: "s",
    baseline: { name: `${LAG_LIMIT_SECONDS} s target`, value: LAG_LIMIT_SECONDS },
  });
  report({
    name: `${name}, lag p99 to a processed point (batches applied to the replica)`,
    value: phase.processedP99,
    unit: "s",
    baseline: { name: `${LAG_LIMIT_SECONDS} s target`, value: LAG_LIMIT_SECONDS },
  });
  if (phase.caughtUpSeconds === undefined)
    console.log(`${name}: apply had not caught up 300 s after the writes stopped`);
  else
    report({
      name: `${name}, apply caught up (last point processed) after the writes stopped`,
      value: phase.caughtUpSeconds,
      unit: "s",
    });
  report({
    name: `${name}: churn asked against Azurite's random 4 KiB write ceiling`,
    value: phase.rate,
    unit: "MB/s",
    baseline: { name: "ceiling", value: ceiling },
  });
}

/** Holds: points come within the limit, and apply keeps up with them (so the backlog does not grow without end). */
const holds = (phase: Phase) => phase.p99 <= LAG_LIMIT_SECONDS && phase.processedP99 <= LAG_LIMIT_SECONDS;

/** MB/s of random 4 KiB page writes Azurite takes, 8 in flight as Ferry's apply runs them (3,000 distinct blocks in block order). */
async function storageCeiling(connectionString: string): Promise<number> {
  const blocks = new Set<number>();
  while (blocks.size < 3000) blocks.add(Math.floor(Math.random() * (sizeBytes / 4096)));
  const sorted = [...blocks].sort((a, b) => a - b);
  return (sorted.length * 4096) / 1e6 / (await rawScatteredWrites(connectionString, sizeBytes, sorted, 8));
}

/** One rate on its own stack; true when lag p99 held. */
async function tryRate(label: string, rate: number): Promise<boolean> {
  return withStack(
    `${label}, ${rate} MB/s`,
    intervalSeconds,
    async (scope) => {
      const ceiling = await storageCeiling(scope.stack.azurite.connectionString);
      report({
        name: `${label}: Azurite ceiling, random 4 KiB page writes, 8 in flight`,
        value: ceiling,
        unit: "MB/s",
      });
      const image = path.join(scope.workDir, "disk.img");
      await makeImage(image, "sparse", sizeBytes);
      const machine = await replicate(scope.stack, scope.workDir, "source", image);
      scope.machines.push(machine);
      await replicatingAt(scope.stack, machine);
      const phase = await churnPhase(scope.stack, machine, image, rate, seconds);
      reportPhase(label, phase, ceiling);
      return holds(phase);
    },
    { azuriteOnDisk },
  );
}

export const sustainedChurnBench: Bench = {
  name: "replication/churn",
  async run() {
    const label = `replication/churn ${sizeBytes / GiB} GiB disk, random 4 KiB writes, cycle interval ${intervalSeconds} s`;
    let held: number | undefined;
    for (const rate of rates) {
      if (await tryRate(label, rate)) {
        held = rate;
        break;
      }
    }
    console.log(
      held === undefined
        ? `${label}: no rate tried held lag p99 ≤ ${LAG_LIMIT_SECONDS} s`
        : `${label}: highest churn tried that holds lag p99 ≤ ${LAG_LIMIT_SECONDS} s, to a point and to a processed point: ${held} MB/s`,
    );
  },
};

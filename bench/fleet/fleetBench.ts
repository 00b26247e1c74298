/**
 * `npm run bench -- fleet`: one host holding a fleet of real agents (FERRY_BENCH_FLEET_N, default
 * 20; a list such as 20,40,60 runs each on a fresh stack). Prints the figures, then PASS/FAIL lines
 * for what the host must hold; any FAIL makes the run exit non-zero.
 * FERRY_BENCH_FLEET_IDLE_SECONDS (60) is the idle window, FERRY_BENCH_FLEET_CYCLE_SECONDS (60) how
 * often each agent cuts a point, FERRY_BENCH_FLEET_HEARTBEAT_MS the agents' heartbeat (their own 10 s).
 */
import os from "node:os";
import type { Bench } from "../support/bench";
import { report } from "../support/report";
import { runFleet, type FleetResult } from "./fleetRun";
import type { WaitSummary } from "./heartbeatWaits";
import { perMachinePerHour, percentile } from "./stats";
import { totalRequests } from "./storageCounter";

const MiB = 1024 * 1024;
const heartbeatMs = Number(process.env.FERRY_BENCH_FLEET_HEARTBEAT_MS ?? 10_000);

function options(machines: number) {
  const agentEnv: NodeJS.ProcessEnv = { ...process.env };
  if (process.env.FERRY_BENCH_FLEET_HEARTBEAT_MS) agentEnv.FERRY_AGENT_HEARTBEAT_MS = String(heartbeatMs);
  return {
    machines,
    idleSeconds: Number(process.env.FERRY_BENCH_FLEET_IDLE_SECONDS ?? 60),
    cycleIntervalSeconds: Number(process.env.FERRY_BENCH_FLEET_CYCLE_SECONDS ?? 60),
    agentEnv,
  };
}

function waitLine(label: string, w: WaitSummary): string {
  const slowest = w.perCall.slice(0, 4).map(([resource, ms]) => `${resource} ${ms.toFixed(0)}`);
  return (
    `${label}: ${w.heartbeats}, median ${w.ms.toFixed(0)} ms: its ${w.calls} table calls out ${w.storageMs.toFixed(0)} ms, ` +
    `before the first ${w.beforeFirstCallMs.toFixed(0)} ms, after the last ${w.afterLastCallMs.toFixed(0)} ms; ` +
    `slowest calls (mean ms): ${slowest.join(", ")}`
  );
}

function reportFigures(label: string, r: FleetResult): void {
  report({ name: `${label}: 1 machine alone, enable → Replicating with a point`, value: r.baselineSeconds, unit: "s" });
  report({
    name: `${label}: ${r.machines} machines enabled at once → every one Replicating with a point`,
    value: r.fleetSeconds,
    unit: "s",
    baseline: { name: "1 machine alone", value: r.baselineSeconds },
  });
  const latencies = r.heartbeats.map((beat) => beat.ms);
  const p50 = percentile(latencies, 0.5);
  report({ name: `${label}: heartbeat answer p50 (${latencies.length} heartbeats)`, value: p50, unit: "ms" });
  report({ name: `${label}: heartbeat answer p99`, value: percentile(latencies, 0.99), unit: "ms" });
  report({ name: `${label}: heartbeat answer max`, value: Math.max(...latencies), unit: "ms" });
  for (const span of r.spans) {
    const inSpan = r.heartbeats.filter((b) => b.at >= span.from && b.at <= span.to).map((b) => b.ms);
    const p = (q: number) => percentile(inSpan, q).toFixed(0);
    console.log(
      `${label}:   ${span.name} (${((span.to - span.from) / 1000).toFixed(0)} s): heartbeat p50 ${p(0.5)} ms, p99 ${p(0.99)} ms of ${inSpan.length}`,
    );
  }
  for (const [which, w] of [
    ["over 1 s", r.waits.slow],
    ["under 1 s", r.waits.fast],
  ] as const)
    console.log(waitLine(`${label}:   heartbeats ${which}`, w));
  report({
    name: `${label}: the bench process's own event-loop delay p99 (its relays)`,
    value: r.benchDelayP99Ms,
    unit: "ms",
  });
  report({ name: `${label}: host peak RSS (process tree)`, value: r.hostPeakRssBytes / MiB, unit: "MiB" });
  report({ name: `${label}: host CPU, whole run (process tree)`, value: r.hostCpuSeconds, unit: "s" });
  const { counts, seconds, hostCpuSeconds } = r.idle;
  const hourly = (count: number) => perMachinePerHour(count, r.machines, seconds);
  report({
    name: `${label}: storage requests per machine per hour, idle-replicating (${seconds} s window; blob ${Math.round(hourly(counts.blob))}, queue ${Math.round(hourly(counts.queue))}, table ${Math.round(hourly(counts.table))})`,
    value: hourly(totalRequests(counts)),
    unit: "requests",
  });
  const top = r.idle.byResource.slice(0, 6).map(([resource, count]) => `${resource} ${Math.round(hourly(count))}`);
  console.log(`${label}:   of which, per machine per hour: ${top.join(", ")}`);
  report({
    name: `${label}: host CPU while idle-replicating, share of one core`,
    value: (100 * hostCpuSeconds) / seconds,
    unit: "%",
  });
  for (const plan of r.plans) {
    report({ name: `${label}: plan ${plan.drill} job, start to end`, value: plan.seconds, unit: "s" });
    for (const g of plan.groups)
      report({
        name: `${label}:   ${plan.drill} ${g.group} (${g.items} items in parallel)`,
        value: g.seconds,
        unit: "s",
      });
  }
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(" ");
  console.log(
    `${label}: load average before ${load(r.load.before)}, after ${load(r.load.after)} (${os.cpus().length} cores)`,
  );
}

/** The PASS/FAIL lines; true when all pass. */
function verdicts(label: string, r: FleetResult): boolean {
  const { baseline, test, migrated } = r.checks;
  const diskProblems = [...baseline.problems, ...test.problems, ...migrated.problems];
  const drillProblems = r.plans.flatMap((plan) => plan.problems);
  const p99 = percentile(
    r.heartbeats.map((beat) => beat.ms),
    0.99,
  );
  const silenceLimit = (3 * heartbeatMs) / 1000;
  const lines: [boolean, string, string[]][] = [
    [
      diskProblems.length === 0 && test.vms === r.machines && migrated.vms === r.machines,
      `every disk equal to its source: ${test.disksEqual} test-VM and ${migrated.disksEqual} migrated-VM disks of ${r.machines} machines (SHA-256)`,
      diskProblems,
    ],
    [
      drillProblems.length === 0 && r.plans.length === 3,
      `every plan job and its tasks succeeded (${r.plans.map((plan) => plan.drill).join(", ")})`,
      drillProblems,
    ],
    [
      r.lost.length === 0,
      `no AgentHeartbeatLost on any item (${r.healthSamples} samples of the grid)`,
      r.lost.map((l) => `${l.machineName} at ${l.at}: ${l.message}`),
    ],
    [
      r.heartbeatFailures.length === 0 && r.longestSilence.seconds <= silenceLimit,
      `no heartbeat lost: ${r.heartbeatFailures.length} refused or failed, longest silence ${r.longestSilence.seconds.toFixed(1)} s (${r.longestSilence.machineName}; limit ${silenceLimit} s)`,
      r.heartbeatFailures.slice(0, 10).map((b) => `${b.machineId}: status ${b.status} after ${b.ms.toFixed(0)} ms`),
    ],
    [p99 < 1000, `heartbeat p99 ${p99.toFixed(0)} ms under 1000 ms`, []],
  ];
  for (const [ok, what, details] of lines) {
    console.log(`${ok ? "PASS" : "FAIL"} ${label}: ${what}`);
    for (const detail of details.slice(0, 20)) console.log(`     ${detail}`);
  }
  return lines.every(([ok]) => ok);
}

export const fleetBench: Bench = {
  name: "fleet",
  async run() {
    const sizes = (process.env.FERRY_BENCH_FLEET_N ?? "20").split(",").map(Number);
    for (const machines of sizes) {
      const label = `fleet N=${machines}`;
      const result = await runFleet(options(machines));
      reportFigures(label, result);
      if (!verdicts(label, result)) process.exitCode = 1;
    }
  },
};

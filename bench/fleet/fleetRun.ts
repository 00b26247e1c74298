/**
 * One fleet run on a fresh stack: one machine alone first (the baseline, then migrated and
 * completed so the host is left to the fleet), then N machines registered, enabled all at once and
 * seeded, an idle window with storage requests counted, and the drills as one recovery plan of
 * three groups.
 */
import os from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { routes, type ProjectClient } from "../../client";
import type { Heartbeat } from "./heartbeatLog";
import { compareVms, type DiskCheck } from "./vmDisks";
import { createFleetPlan, migrateItem, runPlan, type PlanRun } from "./drills";
import { registerMachine, startAgent, stopAgent, type FleetMachine } from "./fleetMachine";
import { withFleetStack, type FleetStack } from "./fleetStack";
import { FleetWatch, sleep, type LostSighting } from "./fleetWatch";
import { heartbeatWaits, type WaitSummary } from "./heartbeatWaits";
import { treeCpuSeconds } from "./processTree";
import { countsBetween, type StorageCounts } from "./storageCounter";

export interface FleetOptions {
  machines: number;
  idleSeconds: number;
  /** The host's cycle interval: how often each agent cuts a recovery point while idle. */
  cycleIntervalSeconds: number;
  agentEnv: NodeJS.ProcessEnv;
}

export interface FleetResult {
  machines: number;
  baselineSeconds: number;
  fleetSeconds: number;
  heartbeats: Heartbeat[];
  heartbeatFailures: Heartbeat[];
  longestSilence: { machineName: string; seconds: number };
  hostPeakRssBytes: number;
  hostCpuSeconds: number;
  idle: { seconds: number; counts: StorageCounts; hostCpuSeconds: number; byResource: [string, number][] };
  plans: PlanRun[];
  checks: { baseline: DiskCheck; test: DiskCheck; migrated: DiskCheck };
  lost: LostSighting[];
  healthSamples: number;
  load: { before: number[]; after: number[] };
  spans: Span[];
  /** What heartbeats over 1 s and those under it waited on. */
  waits: { slow: WaitSummary; fast: WaitSummary };
  /** p99 of this process's event-loop delay: the relays run here, so their own share of a heartbeat's time. */
  benchDelayP99Ms: number;
}

const seedTimeoutMs = 1_800_000;

async function enableAll(
  project: ProjectClient,
  machines: readonly FleetMachine[],
): Promise<Map<string, FleetMachine>> {
  const [policy] = await project.listAll(routes.listPolicies);
  if (!policy) throw new Error("The project has no policy.");
  const target = { resourceGroup: "fleet-rg", network: "prod-vnet", subnet: "default", vmSize: "auto" };
  const items = await Promise.all(
    machines.map((machine) =>
      project.call(routes.enableReplication, { body: { machineId: machine.machineId, policyId: policy.id, target } }),
    ),
  );
  return new Map(items.map(({ item }, i) => [item.id, machines[i] as FleetMachine]));
}

async function registerAll(fleet: FleetStack, names: string[], env: NodeJS.ProcessEnv): Promise<FleetMachine[]> {
  const machines: FleetMachine[] = [];
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name; name = queue.shift())
      machines.push(await registerMachine(fleet.workDir, name, fleet.agentServer, fleet.stack.passphraseFile, env));
  };
  await Promise.all([worker(), worker(), worker()]);
  return machines.sort((a, b) => a.name.localeCompare(b.name));
}

/** Registers, starts the agents, enables all at once; seconds from the enables until every item is Replicating. */
async function seed(fleet: FleetStack, watch: FleetWatch, machines: FleetMachine[]) {
  machines.forEach(startAgent);
  const agentsStartedAt = performance.now();
  const started = Date.now();
  const items = await enableAll(fleet.stack.project, machines);
  try {
    const at = await watch.allReplicating([...items.keys()], seedTimeoutMs);
    return { items, seconds: (at - started) / 1000, agentsStartedAt };
  } catch (error) {
    for (const machine of machines) console.log(`  ${machine.name} log tail:\n${machine.tail.join("\n")}`);
    throw error;
  }
}

async function baseline(fleet: FleetStack, watch: FleetWatch, env: NodeJS.ProcessEnv) {
  const machines = await registerAll(fleet, ["baseline"], env);
  const { items, seconds } = await seed(fleet, watch, machines);
  const project = fleet.stack.project;
  const migration = await migrateItem(project, [...items.keys()][0] as string);
  const check = await compareVms(project, "Migration", items);
  check.problems.push(...migration);
  machines.forEach((machine) => void stopAgent(machine));
  const params = { itemId: [...items.keys()][0] as string };
  const { job } = await project.call(routes.completeMigration, { params });
  const done = await project.waitForJob(job);
  if (done.state !== "Succeeded") check.problems.push(`complete baseline: ${done.state}`);
  return { seconds, check };
}

async function idleWindow(fleet: FleetStack, watch: FleetWatch, seconds: number) {
  watch.pause(true);
  // Let the grid reads already under way finish, and the seed's last applies settle.
  await sleep(5_000);
  const before = fleet.storage.snapshot();
  const resourcesBefore = new Map(fleet.storage.byResource);
  const cpu = treeCpuSeconds(fleet.hostPid);
  await sleep(seconds * 1000);
  const counts = countsBetween(before, fleet.storage.snapshot());
  const hostCpuSeconds = treeCpuSeconds(fleet.hostPid) - cpu;
  watch.pause(false);
  const byResource = [...fleet.storage.byResource]
    .map(([resource, count]): [string, number] => [resource, count - (resourcesBefore.get(resource) ?? 0)])
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1]);
  return { seconds, counts, hostCpuSeconds, byResource };
}

async function drills(fleet: FleetStack, items: Map<string, FleetMachine>) {
  const project = fleet.stack.project;
  const planId = await createFleetPlan(project, [...items.keys()]);
  const runs = [await runPlan(project, planId, "test-migrate")];
  const test = await compareVms(project, "TestMigration", items);
  runs.push(await runPlan(project, planId, "test-migrate-cleanup"));
  const migrateFrom = performance.now();
  runs.push(await runPlan(project, planId, "migrate"));
  const migrated = await compareVms(project, "Migration", items);
  return { runs, test, migrated, migrateFrom };
}

/** A stretch of the run (performance.now() ms), for figures taken per phase. */
export interface Span {
  name: string;
  from: number;
  to: number;
}

async function spanned<T>(spans: Span[], name: string, say: (what: string) => void, run: () => Promise<T>) {
  say(name);
  const from = performance.now();
  const result = await run();
  spans.push({ name, from, to: performance.now() });
  return result;
}

export async function runFleet(options: FleetOptions): Promise<FleetResult> {
  return withFleetStack(options.cycleIntervalSeconds, async (fleet) => {
    const load = { before: os.loadavg(), after: [] as number[] };
    const watch = new FleetWatch(fleet.stack.project, 1000);
    const machines: FleetMachine[] = [];
    const spans: Span[] = [];
    const n = options.machines;
    const say = (what: string) => console.log(`  ${new Date().toISOString()} N=${n}: ${what}`);
    const delay = monitorEventLoopDelay({ resolution: 20 });
    delay.enable();
    try {
      const alone = await spanned(spans, "one machine alone", say, () => baseline(fleet, watch, options.agentEnv));
      const names = Array.from({ length: n }, (_, i) => `fleet${String(i + 1).padStart(3, "0")}`);
      machines.push(...(await registerAll(fleet, names, options.agentEnv)));
      const seeded = await spanned(spans, `${n} enabled at once, seeding`, say, () => seed(fleet, watch, machines));
      const idle = await spanned(spans, "idle-replicating", say, () => idleWindow(fleet, watch, options.idleSeconds));
      const drilled = await spanned(spans, "drills", say, () => drills(fleet, seeded.items));
      await watch.sample();
      load.after = os.loadavg();
      const benchDelayP99Ms = delay.percentile(99) / 1e6;
      return { ...summarize(fleet, watch, machines, { alone, seeded, idle, drilled, load }), spans, benchDelayP99Ms };
    } finally {
      delay.disable();
      await watch.stop();
      await Promise.all(machines.map(stopAgent));
    }
  });
}

interface Phases {
  alone: { seconds: number; check: DiskCheck };
  seeded: { seconds: number; agentsStartedAt: number; items: Map<string, FleetMachine> };
  idle: FleetResult["idle"];
  drilled: Awaited<ReturnType<typeof drills>>;
  load: FleetResult["load"];
}

function summarize(
  fleet: FleetStack,
  watch: FleetWatch,
  machines: FleetMachine[],
  phases: Phases,
): Omit<FleetResult, "spans" | "benchDelayP99Ms"> {
  const { heartbeats } = fleet;
  const ids = machines.map((machine) => machine.machineId);
  // Heartbeats while the fleet replicates, before any source is shut down for its migration.
  const window = [phases.seeded.agentsStartedAt, phases.drilled.migrateFrom] as const;
  const silence = heartbeats.longestSilenceMs(ids, ...window);
  const keys = new Map([...phases.seeded.items].map(([itemId, m]) => [m.machineId, [m.machineId, itemId]]));
  const inWindow = heartbeats.beats.filter((b) => ids.includes(b.machineId) && b.at >= window[0] && b.at <= window[1]);
  return {
    machines: machines.length,
    baselineSeconds: phases.alone.seconds,
    fleetSeconds: phases.seeded.seconds,
    heartbeats: heartbeats.beats,
    heartbeatFailures: inWindow.filter((b) => b.status < 200 || b.status >= 300),
    longestSilence: {
      machineName: machines.find((m) => m.machineId === silence.machineId)?.name ?? "",
      seconds: silence.ms / 1000,
    },
    hostPeakRssBytes: fleet.hostRss.read(),
    hostCpuSeconds: treeCpuSeconds(fleet.hostPid) - fleet.hostCpuAtStart,
    idle: phases.idle,
    plans: phases.drilled.runs,
    checks: { baseline: phases.alone.check, test: phases.drilled.test, migrated: phases.drilled.migrated },
    lost: watch.lost,
    waits: heartbeatWaits(heartbeats.beats, fleet.storage.exchanges, keys),
    healthSamples: watch.samples,
    load: phases.load,
  };
}

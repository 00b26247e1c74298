/**
 * One source machine under replication: the real agent CLI registered with the stack's
 * passphrase (`register`), replication enabled through the operator API, then `agent run`
 * with its log read line by line and its peak RSS sampled.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import path from "node:path";
import { routes } from "../../client";
import { until } from "../../demo/demoKit";
import { agentProcess, exitOf } from "../../demo/sourceMachine";
import { profileArgs } from "../support/childProcess";
import { PeakRss } from "../support/peakRss";
import { parseCycleLine, type CycleLine } from "./agentLog";
import { distRoot, type FerryStack } from "./ferryStack";

export interface ReplicatedMachine {
  machineId: string;
  itemId: string;
  /** performance.timeOrigin-based ms when `agent run` was spawned. */
  runStartedAt: number;
  cycles: CycleLine[];
  agentRss: PeakRss;
  agent: ChildProcess;
  /** Resolves with the first finished cycle that `accept` takes. */
  nextCycle(accept: (cycle: CycleLine) => boolean, timeoutMs?: number): Promise<CycleLine>;
  stop(): Promise<void>;
}

/**
 * The agent's environment: heartbeats every 500 ms, so instructions and figures move at the pace
 * of a bench, or at the agent's own interval (10 s), as for users.
 */
export const agentEnv = (ownHeartbeat = false): NodeJS.ProcessEnv =>
  ownHeartbeat ? { ...process.env } : { ...process.env, FERRY_AGENT_HEARTBEAT_MS: "500" };

export interface RunOptions {
  /** Heartbeat at the agent's own interval (10 s) instead of a bench's 500 ms. */
  ownHeartbeat?: boolean;
}

export interface EnrolledMachine {
  stateDir: string;
  machineId: string;
  itemId: string;
}

/** `agent register` for one disk, then replication enabled for the machine (its job Succeeded). */
export async function enroll(
  stack: FerryStack,
  workDir: string,
  name: string,
  diskFile: string,
): Promise<EnrolledMachine> {
  const stateDir = path.join(workDir, `${name}-state`);
  const output: string[] = [];
  const register = agentProcess(
    distRoot,
    [
      "register",
      "--server",
      stack.api,
      "--passphrase-file",
      stack.passphraseFile,
      "--state-dir",
      stateDir,
      "--disk",
      diskFile,
      "--hostname",
      name,
    ],
    agentEnv(),
    (line) => output.push(line),
  );
  if ((await exitOf(register)) !== 0) throw new Error(`agent register failed:\n${output.join("\n")}`);
  const machineId = (output.at(-1) ?? "").replace(/^\s*agent: /, "").trim();
  const { project } = stack;
  const [policy] = await project.listAll(routes.listPolicies);
  const enabled = await project.call(routes.enableReplication, {
    body: {
      machineId,
      policyId: policy!.id,
      target: { resourceGroup: "bench-rg", network: "bench-vnet", subnet: "default", vmSize: "auto" },
    },
  });
  const job = await project.waitForJob(enabled.job);
  if (job.state !== "Succeeded") throw new Error(`Enable replication ended ${job.state}.`);
  return {
    stateDir,
    machineId,
    itemId: enabled.item.id,
  };
}

/** Enrolls the machine and starts `agent run`. */
export async function replicate(
  stack: FerryStack,
  workDir: string,
  name: string,
  diskFile: string,
  options: RunOptions = {},
): Promise<ReplicatedMachine> {
  const enrolled = await enroll(stack, workDir, name, diskFile);
  return runAgent(enrolled, options);
}

function runAgent({ stateDir, machineId, itemId }: EnrolledMachine, options: RunOptions): ReplicatedMachine {
  const cycles: CycleLine[] = [];
  const waiters = new Set<(cycle: CycleLine) => void>();
  const tail: string[] = [];
  const runStartedAt = performance.timeOrigin + performance.now();
  const args = [...profileArgs(process.env), path.join(distRoot, "agent/cli.js"), "run", "--state-dir", stateDir];
  const agent = spawnLines(args, agentEnv(options.ownHeartbeat), (line) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
    if (process.env.FERRY_BENCH_VERBOSE) console.log(`  agent: ${line}`);
    const cycle = parseCycleLine(line);
    if (!cycle) return;
    cycles.push(cycle);
    waiters.forEach((waiter) => waiter(cycle));
  });
  const agentRss = new PeakRss(agent.pid);
  const nextCycle = (accept: (cycle: CycleLine) => boolean, timeoutMs = 600_000) =>
    new Promise<CycleLine>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`No such cycle after ${timeoutMs} ms; agent log:\n${tail.join("\n")}`));
      }, timeoutMs);
      const waiter = (cycle: CycleLine) => {
        if (!accept(cycle)) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve(cycle);
      };
      waiters.add(waiter);
    });
  return {
    machineId,
    itemId,
    runStartedAt,
    cycles,
    agentRss,
    agent,
    nextCycle,
    stop: async () => {
      agentRss.stop();
      if (agent.exitCode === null && agent.signalCode === null) agent.kill("SIGTERM");
      await exitOf(agent);
    },
  };
}

/** Polls the item until it is Replicating with a recovery point; returns when that was seen (epoch ms). */
export async function replicatingAt(
  stack: FerryStack,
  machine: ReplicatedMachine,
  timeoutMs = 900_000,
): Promise<number> {
  return until(
    "Replicating with a recovery point",
    async () => {
      const item = await stack.project.call(routes.getReplicatingServer, { params: { itemId: machine.itemId } });
      return item.migrationState === "Replicating" && item.lastRecoveryPointTime ? Date.now() : undefined;
    },
    timeoutMs,
  );
}

/** Polls the point list every 100 ms until the point is processed (its batches applied); returns when that was seen (epoch ms). */
export async function processedAt(
  stack: FerryStack,
  machine: ReplicatedMachine,
  pointId: string,
  timeoutMs = 600_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const points = await stack.project.listAll(routes.listRecoveryPoints, { params: { itemId: machine.itemId } });
    if (points.find((p) => p.id === pointId)?.processed) return Date.now();
    if (Date.now() > deadline) throw new Error(`Point ${pointId} not processed after ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function spawnLines(args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void): ChildProcess {
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  for (const stream of [child.stdout, child.stderr]) if (stream) createInterface({ input: stream }).on("line", onLine);
  return child;
}

/**
 * One source machine of the fleet: its own identity (machine id, boot id and hostname under a
 * system root of its own, read by the agent through FERRY_AGENT_SYSTEM_ROOT), two small disk
 * images of different sizes with zero ranges, registered with the real agent CLI (shutdown
 * command `true`), and `agent run` kept going with the last lines of its log at hand.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { agentProcess, exitOf, makeImage, sha256OfFile, type SourceDiskImage } from "../../demo/sourceMachine";
import { distRoot } from "../e2e/ferryStack";

export const fleetDiskMiB = [20, 8];

export interface FleetMachine {
  name: string;
  machineId: string;
  disks: SourceDiskImage[];
  /** SHA-256 of each disk image, by disk id, taken once it was made (nothing writes to it later). */
  sha256: Map<string, string>;
  env: NodeJS.ProcessEnv;
  stateDir: string;
  agent?: ChildProcess;
  tail: string[];
}

async function writeIdentity(root: string, hostname: string): Promise<void> {
  await mkdir(path.join(root, "etc"), { recursive: true });
  await mkdir(path.join(root, "proc/sys/kernel/random"), { recursive: true });
  await writeFile(path.join(root, "etc/machine-id"), `${randomBytes(16).toString("hex")}\n`);
  await writeFile(path.join(root, "proc/sys/kernel/random/boot_id"), `${randomUUID()}\n`);
  await writeFile(path.join(root, "proc/sys/kernel/hostname"), `${hostname}\n`);
}

/** Makes the machine's disks and identity and registers its agent; `agent run` is not started yet. */
export async function registerMachine(
  workDir: string,
  name: string,
  server: string,
  passphraseFile: string,
  baseEnv: NodeJS.ProcessEnv,
): Promise<FleetMachine> {
  const dir = path.join(workDir, name);
  const root = path.join(dir, "system");
  await writeIdentity(root, name);
  const disks = fleetDiskMiB.map((mib, i) => makeImage(path.join(dir, `disk${i}.img`), `disk${i}`, mib));
  const sha256 = new Map(disks.map((disk) => [disk.diskId, sha256OfFile(disk.file)]));
  const env = { ...baseEnv, FERRY_AGENT_SYSTEM_ROOT: root };
  const stateDir = path.join(dir, "agent-state");
  const output: string[] = [];
  const args = ["register", "--server", server, "--passphrase-file", passphraseFile, "--state-dir", stateDir];
  const register = agentProcess(
    distRoot,
    [...args, ...disks.flatMap((d) => ["--disk", d.file]), "--hostname", name, "--shutdown-command", "true"],
    env,
    (line) => output.push(line),
  );
  if ((await exitOf(register)) !== 0) throw new Error(`agent register ${name} failed:\n${output.join("\n")}`);
  const machineId = (output.at(-1) ?? "").replace(/^\s*agent: /, "").trim();
  return { name, machineId, disks, sha256, env, stateDir, tail: [] };
}

/** Starts `agent run`; its log is kept as a short tail, or printed with FERRY_BENCH_VERBOSE=1. */
export function startAgent(machine: FleetMachine): void {
  machine.agent = agentProcess(distRoot, ["run", "--state-dir", machine.stateDir], machine.env, (line) => {
    machine.tail.push(line);
    if (machine.tail.length > 30) machine.tail.shift();
    if (process.env.FERRY_BENCH_VERBOSE) console.log(`  ${machine.name}:${line}`);
  });
}

export async function stopAgent(machine: FleetMachine): Promise<void> {
  const agent = machine.agent;
  if (!agent) return;
  if (agent.exitCode === null && agent.signalCode === null) agent.kill("SIGTERM");
  await exitOf(agent);
}

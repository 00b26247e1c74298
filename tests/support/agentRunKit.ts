/** The real agent CLI: enrolled with a real host, `run` as a long-lived child; and the source images it reads. */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { open, writeFile } from "node:fs/promises";
import path from "node:path";
import { readState } from "../../agent/state";
import { passphraseFile, runAgentCli, uniqueHostname } from "./agentCli";
import { setUpProject, target, waitForJob, type FerryApi } from "./ferryApi";
import { repoRoot } from "./hostProcess";

export const KiB = 1024;
export const MiB = 1024 * 1024;

export interface RunningAgent {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Settings the tests shorten: heartbeats every 100 ms, 1 MiB batches so small disks take several. */
export const fastRunEnv = { FERRY_AGENT_HEARTBEAT_MS: "100", FERRY_AGENT_BATCH_BYTES: String(MiB) };

export interface EnrolledSource {
  stateDir: string;
  projectId: string;
  itemId: string;
  itemPath: string;
}

/**
 * A new project on a real host (`origin`), the image's machine registered with `agent register`
 * (state under `dir`) and replication enabled, its job done: ready for `agent run`.
 */
export async function enrollWithHost(
  api: FerryApi,
  origin: string,
  dir: string,
  image: string,
): Promise<EnrolledSource> {
  const project = await setUpProject(api);
  const stateDir = path.join(dir, "state");
  const registered = await runAgentCli([
    "register",
    "--server",
    `${origin}/api`,
    "--passphrase-file",
    passphraseFile(dir, project.passphrase),
    "--state-dir",
    stateDir,
    "--disk",
    image,
    "--hostname",
    uniqueHostname(),
  ]);
  if (registered.code !== 0) throw new Error(`register failed: ${registered.stderr}`);
  const policies = await api.expect<{ value: { id: string }[] }>(
    api.get(`/projects/${project.projectId}/policies`),
    200,
  );
  const started = await api.expect<{ item: { id: string }; job: { id: string } }>(
    api.post(`/projects/${project.projectId}/replications`, {
      machineId: readState(stateDir)?.machineId,
      policyId: policies.value[0]?.id,
      target,
    }),
    202,
  );
  await waitForJob(api, project.projectId, started.job.id);
  return {
    stateDir,
    projectId: project.projectId,
    itemId: started.item.id,
    itemPath: `/projects/${project.projectId}/replicating-servers/${started.item.id}`,
  };
}

export function startAgent(stateDir: string, env: Record<string, string> = fastRunEnv): RunningAgent {
  const child = spawn(process.execPath, [path.join(repoRoot, "dist/agent/cli.js"), "run", "--state-dir", stateDir], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return watchAgent(child);
}

/** An agent child process (started however the test needs), its output gathered. */
export function watchAgent(child: ChildProcess): RunningAgent {
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => text,
    kill: async (signal: NodeJS.Signals = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Random bytes with the given ranges zeroed: data for the wire, holes for zero runs. */
export async function writeSourceImage(
  file: string,
  sizeBytes: number,
  zeroRanges: Array<[number, number]> = [],
): Promise<void> {
  const bytes = randomBytes(sizeBytes);
  for (const [from, to] of zeroRanges) bytes.fill(0, from, to);
  await writeFile(file, bytes);
}

/** Random 4 KiB writes at the given blocks (the last block may be short); returns bytes written. */
export async function writeRandomBlocks(file: string, blocks: number[]): Promise<number> {
  const handle = await open(file, "r+");
  let written = 0;
  try {
    const size = (await handle.stat()).size;
    for (const block of blocks) {
      const length = Math.min(4 * KiB, size - block * 4 * KiB);
      await handle.write(randomBytes(length), 0, length, block * 4 * KiB);
      written += length;
    }
  } finally {
    await handle.close();
  }
  return written;
}

export function distinctBlocks(count: number, blockCount: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(Math.floor(Math.random() * blockCount));
  return [...chosen].sort((a, b) => a - b);
}

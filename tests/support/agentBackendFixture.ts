// Each test of the real agent against the backend double gets a fresh folder and double; its agents die with it.
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach } from "vitest";
import { AgentBackendDouble } from "./agentBackendDouble";
import { passphraseFile, runAgentCli, tempDir } from "./agentCli";
import { startAgent, type RunningAgent } from "./agentRunKit";

const PASSPHRASE = "test-passphrase-0123456789";

export interface AgentBackendFixture {
  /** The test's own folder: images, passphrase files, state directories. */
  readonly dir: string;
  readonly backend: AgentBackendDouble;
  /** The agent started last in this test, if any. */
  readonly agent: RunningAgent | undefined;
  /** `agent register` of `disks` with the double; the new state directory. */
  register(disks: string[], extra?: string[]): Promise<string>;
  /** `agent run` on a registered state directory (the fast test settings unless told); killed after the test. */
  start(stateDir: string, env?: Record<string, string>): RunningAgent;
}

/** Registers beforeEach/afterEach in the calling file or describe block; read the accessors inside tests. */
export function useAgentBackend(prefix: string): AgentBackendFixture {
  let dir: string | undefined;
  let backend: AgentBackendDouble | undefined;
  const agents: RunningAgent[] = [];

  beforeEach(async () => {
    dir = tempDir(prefix);
    backend = await AgentBackendDouble.start(dir, PASSPHRASE);
  });

  afterEach(async () => {
    for (const agent of agents.splice(0)) await agent.kill("SIGKILL");
    await backend?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    backend = dir = undefined;
  });

  const made = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("The agent backend fixture is made before each test: use it inside one.");
    return value;
  };
  return {
    get dir() {
      return made(dir);
    },
    get backend() {
      return made(backend);
    },
    get agent() {
      return agents.at(-1);
    },
    register: (disks, extra) => registerAgent(made(backend), made(dir), disks, extra),
    start: (stateDir, env) => {
      const agent = startAgent(stateDir, env);
      agents.push(agent);
      return agent;
    },
  };
}

async function registerAgent(
  backend: AgentBackendDouble,
  dir: string,
  disks: string[],
  extra: string[] = [],
): Promise<string> {
  const stateDir = path.join(dir, `state-${randomBytes(3).toString("hex")}`);
  const result = await runAgentCli([
    "register",
    "--server",
    backend.url,
    "--passphrase-file",
    passphraseFile(dir, PASSPHRASE),
    "--state-dir",
    stateDir,
    ...disks.flatMap((disk) => ["--disk", disk]),
    "--hostname",
    "source-1",
    ...extra,
  ]);
  if (result.code !== 0) throw new Error(`register failed: ${result.stderr}`);
  return stateDir;
}

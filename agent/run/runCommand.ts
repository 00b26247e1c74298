/** `agent run`: wires the state dir, journal and API client, then runs the loop until Stop. */
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { splitAgentKey } from "../signedClient";
import type { AgentState } from "../state";
import { AgentApi } from "./agentApi";
import { runAgent } from "./agentLoop";
import { DoubtLedger } from "./doubts";
import { JournalStore, readJournal } from "./journal";
import { consoleLogger, type Logger } from "./log";
import { Progress } from "./progress";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry";
import { SpaceBudget } from "./spaceBudget";
import { TokenBucket } from "./tokenBucket";

export interface RunConfig {
  heartbeatMs: number;
  /** Data bytes per change batch (the spool file's bound). */
  batchBytes: number;
  retry?: RetryPolicy;
}

export async function runReplication(
  stateDir: string,
  state: AgentState,
  config: RunConfig,
  signal: AbortSignal,
  log: Logger = consoleLogger(),
): Promise<void> {
  prepareFolders(stateDir);
  const journal = openJournal(stateDir, log);
  const progress = new Progress();
  const bucket = new TokenBucket(state.maxBytesPerSecond);
  const api = new AgentApi({
    endpoint: { server: state.server, credentials: splitAgentKey(state.agentKey) },
    retry: config.retry ?? DEFAULT_RETRY_POLICY,
    bucket,
    onRetry: (what, why, delayMs) => log.warn(`${what}: ${why}; retrying in ${(delayMs / 1000).toFixed(1)} s`),
    onWireBytes: (diskId, bytes) => progress.wireBytes(diskId, bytes),
  });
  log.info(
    `agent for machine ${state.machineId} (${state.disks.map((disk) => `${disk.id}=${disk.path}`).join(", ")}) ` +
      `replicating to ${state.server}`,
  );
  await runAgent(
    {
      api,
      state,
      stateDir,
      journal,
      progress,
      bucket,
      log,
      heartbeatMs: config.heartbeatMs,
      doubts: new DoubtLedger(journal),
      space: new SpaceBudget(
        { maxDataBytes: config.batchBytes, maxExtents: 64 * 1024, maxZeroBytes: 4 * 1024 ** 3 },
        stateDir,
        log,
      ),
    },
    signal,
  );
  log.info("stopped on the server's instruction");
}

/** Spooled batches and snapshots of a previous run are rebuilt from the journal, never reused. */
function prepareFolders(stateDir: string): void {
  for (const name of ["spool", "snapshots"]) {
    const dir = path.join(stateDir, name);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const file of readdirSync(dir)) rmSync(path.join(dir, file), { force: true, recursive: true });
  }
  mkdirSync(path.join(stateDir, "maps"), { recursive: true, mode: 0o700 });
}

function openJournal(stateDir: string, log: Logger): JournalStore {
  const { journal, problem } = readJournal(stateDir);
  const hasMaps = readdirSync(path.join(stateDir, "maps")).length > 0;
  if (problem && (problem !== "missing" || hasMaps)) {
    log.warn(
      `the journal is ${problem}: replication state is doubtful, ` +
        "unacknowledged positions restart and every disk is sent again",
    );
  }
  return new JournalStore(stateDir, journal);
}

// The Mobility agent: `ferry-agent register|run|status ...` installed, `npm run agent -- ...` in a clone
// (docs/agent-run.md).
import fs from "node:fs";
import os from "node:os";
import {
  callerDirectory,
  parseAgentCommand,
  programName,
  usage,
  UsageError,
  type RegisterOptions,
} from "./commandLine";
import { describeDisks, machineFacts } from "./facts";
import { machineFingerprint } from "./machinePrint";
import { callJson, ServerError, splitAgentKey } from "./signedClient";
import { statusReport } from "./status/statusReport";
import { statusText } from "./status/statusText";
import { runReplication, type RunConfig } from "./run/runCommand";
import { readState, writeState, type AgentState } from "./state";

/** Where the machine's identity files are read from: FERRY_AGENT_SYSTEM_ROOT, or "/". */
const systemRoot = (): string => process.env.FERRY_AGENT_SYSTEM_ROOT || "/";

async function register(options: RegisterOptions): Promise<void> {
  const { server, stateDir } = options;
  const passphrase = fs.readFileSync(options.passphraseFile, "utf8").trim();
  const disks = describeDisks(options.disks, options.bootDisk);
  const hostname = options.hostname ?? os.hostname();
  const previous = readState(stateDir);
  const credentials = previous && previous.server === server ? splitAgentKey(previous.agentKey) : undefined;
  const body = { passphrase, machine: machineFacts(hostname, disks) };
  const result = await callJson<{ machineId: string; agentKey: string }>(
    server,
    "POST",
    "agent/register",
    body,
    credentials,
    credentials && machineFingerprint(systemRoot()),
  );
  writeState(stateDir, {
    server,
    machineId: result.machineId,
    agentKey: result.agentKey,
    hostname,
    disks,
    shutdownCommand: options.shutdownCommand,
    freezeCommand: options.freezeCommand,
    thawCommand: options.thawCommand,
    maxBytesPerSecond: options.maxBytesPerSecond,
    registeredAt: new Date().toISOString(),
  });
  console.log(result.machineId);
}

function registered(stateDir: string): AgentState {
  const state = readState(stateDir);
  if (!state) throw new Error(`${stateDir} holds no registered agent; run \`register\` first.`);
  return state;
}

function status(stateDir: string, json: boolean): void {
  const report = statusReport(stateDir, registered(stateDir));
  console.log(json ? JSON.stringify(report, null, 2) : statusText(report));
}

/**
 * Settings for `run`, read once here: FERRY_AGENT_HEARTBEAT_MS and FERRY_AGENT_BATCH_BYTES (tests
 * shorten them), and FERRY_AGENT_SYSTEM_ROOT, where the machine's identity files are read from.
 */
function runConfig(): RunConfig {
  const number = (name: string, fallback: number): number => {
    const text = process.env[name];
    const value = text === undefined || text === "" ? fallback : Number(text);
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new Error(`${name} must be a positive whole number, not "${text}".`);
    return value;
  };
  const batchBytes = number("FERRY_AGENT_BATCH_BYTES", 64 * 1024 * 1024);
  if (batchBytes > MAX_BATCH_BYTES) {
    throw new Error(
      `FERRY_AGENT_BATCH_BYTES must be at most ${MAX_BATCH_BYTES} (96 MiB): a batch is one request, ` +
        "and Azure Functions refuses request bodies over 100 MB.",
    );
  }
  return {
    heartbeatMs: number("FERRY_AGENT_HEARTBEAT_MS", 10_000),
    batchBytes,
    fingerprint: machineFingerprint(systemRoot()),
  };
}

/** Data bytes per batch, leaving room under the Functions host's 100 MB request limit for records and headers. */
const MAX_BATCH_BYTES = 96 * 1024 * 1024;

/** Runs until the server says Stop; SIGINT/SIGTERM stop at once, keeping every acknowledged batch. */
async function run(stateDir: string): Promise<void> {
  const config = runConfig();
  const state = registered(stateDir);
  const stop = new AbortController();
  for (const name of ["SIGINT", "SIGTERM"] as const)
    process.once(name, () => stop.abort(new Error(`stopped by ${name}`)));
  try {
    await runReplication(stateDir, state, config, stop.signal);
  } catch (error) {
    if (!stop.signal.aborted) throw error;
    console.log(`${new Date().toISOString()} info ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function main(): Promise<void> {
  const command = parseAgentCommand(process.argv.slice(2), callerDirectory(process.env, process.cwd()));
  if (command.name === "help") return console.log(usage(programName(process.env)));
  if (command.name === "register") return register(command.options);
  if (command.name === "status") return status(command.stateDir, command.json);
  return run(command.stateDir);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n${usage(programName(process.env))}`);
    process.exit(2);
  }
  console.error(
    error instanceof ServerError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : error,
  );
  process.exit(1);
});

// The Mobility agent: `npm run agent -- register|run|status ...` (DESIGN §8).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs, single } from "../devhost/cli/args";
import { describeDisks, machineFacts } from "./facts";
import { callJson, ServerError, splitAgentKey } from "./signedClient";
import { journalStatus } from "./run/statusView";
import { runReplication, type RunConfig } from "./run/runCommand";
import { readState, writeState, type AgentState } from "./state";

const usage = `Usage:
  npm run agent -- register --server URL --passphrase-file FILE --state-dir DIR --disk PATH [--disk PATH ...]
                            [--boot-disk PATH] [--hostname NAME] [--shutdown-command CMD]
                            [--freeze-command CMD --thaw-command CMD] [--max-bytes-per-second N]
  npm run agent -- run --state-dir DIR
  npm run agent -- status --state-dir DIR`;

function need(args: Map<string, string[]>, name: string): string {
  const value = single(args, name);
  if (!value) throw new Error(`--${name} is required.\n${usage}`);
  return value;
}

async function register(args: Map<string, string[]>): Promise<void> {
  const stateDir = path.resolve(need(args, "state-dir"));
  const server = need(args, "server");
  const passphrase = fs.readFileSync(need(args, "passphrase-file"), "utf8").trim();
  const diskPaths = args.get("disk") ?? [];
  if (diskPaths.length === 0) throw new Error(`At least one --disk is required.\n${usage}`);
  const disks = describeDisks(diskPaths, single(args, "boot-disk"));
  const hostname = single(args, "hostname") ?? os.hostname();
  const previous = readState(stateDir);
  const credentials = previous && previous.server === server ? splitAgentKey(previous.agentKey) : undefined;
  const body = { passphrase, machine: machineFacts(hostname, disks) };
  const result = await callJson<{ machineId: string; agentKey: string }>(
    server,
    "POST",
    "agent/register",
    body,
    credentials,
  );
  writeState(stateDir, {
    server,
    machineId: result.machineId,
    agentKey: result.agentKey,
    hostname,
    disks,
    shutdownCommand: single(args, "shutdown-command"),
    ...replicationOptions(args),
    registeredAt: new Date().toISOString(),
  });
  console.log(result.machineId);
}

/** Freeze hooks come as a pair; a bandwidth cap is a positive whole number of bytes a second. */
function replicationOptions(
  args: Map<string, string[]>,
): Pick<AgentState, "freezeCommand" | "thawCommand" | "maxBytesPerSecond"> {
  const freezeCommand = single(args, "freeze-command");
  const thawCommand = single(args, "thaw-command");
  if ((freezeCommand === undefined) !== (thawCommand === undefined))
    throw new Error("--freeze-command and --thaw-command go together.");
  const cap = single(args, "max-bytes-per-second");
  const maxBytesPerSecond = cap === undefined ? undefined : Number(cap);
  if (maxBytesPerSecond !== undefined && !(Number.isSafeInteger(maxBytesPerSecond) && maxBytesPerSecond > 0)) {
    throw new Error(`--max-bytes-per-second must be a positive whole number, not "${cap}".`);
  }
  return { freezeCommand, thawCommand, maxBytesPerSecond };
}

function registered(stateDir: string): AgentState {
  const state = readState(stateDir);
  if (!state) throw new Error("This state directory holds no registered agent; run `register` first.");
  return state;
}

function status(args: Map<string, string[]>): void {
  const stateDir = path.resolve(need(args, "state-dir"));
  const { agentKey: _secret, ...shown } = registered(stateDir);
  console.log(JSON.stringify({ ...shown, replication: journalStatus(stateDir, shown as AgentState) }, null, 2));
}

/** Settings for `run`, read once here: FERRY_AGENT_HEARTBEAT_MS and FERRY_AGENT_BATCH_BYTES (tests shorten them). */
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
  return { heartbeatMs: number("FERRY_AGENT_HEARTBEAT_MS", 10_000), batchBytes };
}

/** Data bytes per batch, leaving room under the Functions host's 100 MB request limit for records and headers. */
const MAX_BATCH_BYTES = 96 * 1024 * 1024;

/** Runs until the server says Stop; SIGINT/SIGTERM stop at once, keeping every acknowledged batch. */
async function run(args: Map<string, string[]>): Promise<void> {
  const config = runConfig();
  const stateDir = path.resolve(need(args, "state-dir"));
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
  const [command, ...rest] = process.argv.slice(2);
  const args = parseArgs(rest);
  if (command === "register") return register(args);
  if (command === "status") return status(args);
  if (command === "run") return run(args);
  throw new Error(usage);
}

main().catch((error: unknown) => {
  const text =
    error instanceof ServerError
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
  console.error(text);
  process.exit(1);
});

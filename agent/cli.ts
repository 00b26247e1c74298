// The Mobility agent: `npm run agent -- register|run|status ...` (DESIGN §8).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs, single } from "../devhost/cli/args";
import { describeDisks, machineFacts } from "./facts";
import { callJson, ServerError, splitAgentKey } from "./signedClient";
import { readState, writeState } from "./state";

const usage = `Usage:
  npm run agent -- register --server URL --passphrase-file FILE --state-dir DIR --disk PATH [--disk PATH ...]
                            [--boot-disk PATH] [--hostname NAME] [--shutdown-command CMD]
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
  const result = await callJson<{ machineId: string; agentKey: string }>(server, "POST", "agent/register", body, credentials);
  writeState(stateDir, {
    server, machineId: result.machineId, agentKey: result.agentKey, hostname, disks,
    shutdownCommand: single(args, "shutdown-command"), registeredAt: new Date().toISOString(),
  });
  console.log(result.machineId);
}

function status(args: Map<string, string[]>): void {
  const state = readState(path.resolve(need(args, "state-dir")));
  if (!state) throw new Error("This state directory holds no registered agent; run `register` first.");
  const { agentKey: _secret, ...shown } = state;
  console.log(JSON.stringify(shown, null, 2));
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const args = parseArgs(rest);
  if (command === "register") return register(args);
  if (command === "status") return status(args);
  if (command === "run") throw new Error("`run` is not available in this version of the agent yet.");
  throw new Error(usage);
}

main().catch((error: unknown) => {
  const text = error instanceof ServerError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  console.error(text);
  process.exit(1);
});

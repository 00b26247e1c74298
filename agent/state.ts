import fs from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "./run/atomicFile";

export interface AgentDisk {
  id: string;
  path: string;
  sizeBytes: number;
  isBoot: boolean;
}

/** What the agent keeps in its state directory between runs. */
export interface AgentState {
  server: string;
  machineId: string;
  agentKey: string;
  hostname: string;
  disks: AgentDisk[];
  shutdownCommand?: string;
  /** Pre/post freeze hooks: quiesce the source around a cycle's read (or its snapshots). */
  freezeCommand?: string;
  thawCommand?: string;
  /** The agent's own bandwidth cap; the server's throttle applies on top of it. */
  maxBytesPerSecond?: number;
  registeredAt: string;
}

const stateFile = (dir: string) => path.join(dir, "agent.json");

export function readState(dir: string): AgentState | undefined {
  const file = stateFile(dir);
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, "utf8")) as AgentState;
}

/** Writes the state crash-safely: a temporary file, fsync, then rename over the old one. */
export function writeState(dir: string, state: AgentState): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileAtomic(stateFile(dir), JSON.stringify(state, null, 2));
}

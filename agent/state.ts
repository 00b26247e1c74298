import fs from "node:fs";
import path from "node:path";

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
  const file = stateFile(dir);
  const temp = `${file}.tmp`;
  const fd = fs.openSync(temp, "w", 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(state, null, 2));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}

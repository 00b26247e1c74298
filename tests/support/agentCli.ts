// The real agent CLI (dist/agent/cli.js) run as its own process, on disk image files.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readState, type AgentState } from "../../agent/state";
import { repoRoot } from "./hostProcess";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const made: string[] = [];

/** A fresh temporary folder for one test's disks, passphrase files and state dirs. */
export function tempDir(prefix = "ferry-test-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder tempDir made in this process. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Sparse image files of the given sizes (the agent only looks at their length here). */
export function diskImages(dir: string, sizes: number[]): string[] {
  return sizes.map((size, i) => {
    const file = path.join(dir, `disk-${i}-${randomBytes(3).toString("hex")}.img`);
    fs.writeFileSync(file, "");
    fs.truncateSync(file, size);
    return file;
  });
}

export function passphraseFile(dir: string, passphrase: string): string {
  const file = path.join(dir, `passphrase-${randomBytes(3).toString("hex")}.txt`);
  fs.writeFileSync(file, `${passphrase}\n`, { mode: 0o600 });
  return file;
}

export function runAgentCli(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(repoRoot, "dist/agent/cli.js"), ...args],
      { timeout: 30_000, env, cwd },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export interface RegisterArgs {
  server: string;
  passphraseFile: string;
  stateDir: string;
  disks: string[];
  hostname: string;
}

/** `agent register ...`; the state dir's agent.json after it, if any. */
export async function registerWithCli(args: RegisterArgs): Promise<CliResult & { state?: AgentState }> {
  const result = await runAgentCli([
    "register",
    "--server",
    args.server,
    "--passphrase-file",
    args.passphraseFile,
    "--state-dir",
    args.stateDir,
    ...args.disks.flatMap((disk) => ["--disk", disk]),
    "--hostname",
    args.hostname,
  ]);
  return { ...result, state: readState(args.stateDir) };
}

export function uniqueHostname(prefix = "srv"): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

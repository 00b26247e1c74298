// `npm start` as a user runs it: its own process (or npm's child, through the real start script),
// its output collected, and its processes' ids read from what it prints and the lock it holds.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { lockFileName } from "../../devhost/cli/dataLock";
import { eventually } from "./eventually";
import { repoRoot } from "./hostProcess";

export interface StartedCommand {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Through npm and the repository's own script line (its build step skipped), as `npm start` runs. */
  viaNpm?: boolean;
  /** Arguments instead of `--data DIR`. */
  args?: string[];
  /** `npm run host` (dist/devhost/cli/host.js) instead of `npm start`. */
  script?: "start" | "host";
}

let npmPackage: string | undefined;

/**
 * A package whose start and host scripts are the repository's own, with a build that does nothing
 * (the tests run on the build already made) and `dist` linked to the repository's.
 */
function packageWithOwnScripts(): string {
  if (npmPackage) return npmPackage;
  const own = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-npm-"));
  const scripts = { build: "exit 0", start: own.scripts.start, host: own.scripts.host };
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "ferry-start", private: true, scripts }));
  fs.symlinkSync(path.join(repoRoot, "dist"), path.join(dir, "dist"));
  npmPackage = dir;
  return dir;
}

/** Starts `npm start -- --data DIR` (or `node dist/local/start.js --data DIR`), with no key or storage set. */
export function startCommand(dataDir: string, options: StartOptions = {}): StartedCommand {
  const { FERRY_OPERATOR_KEY: _key, AzureWebJobsStorage: _storage, ...inherited } = process.env;
  const args = options.args ?? ["--data", dataDir];
  const script = options.script ?? "start";
  const entry = script === "start" ? "dist/local/start.js" : "dist/devhost/cli/host.js";
  const [command, argv, cwd] = options.viaNpm
    ? ["npm", ["run", script, "--silent", "--", ...args], packageWithOwnScripts()]
    : [process.execPath, [path.join(repoRoot, entry), ...args], repoRoot];
  const child = spawn(command, argv, { cwd, env: { ...inherited, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  const collect = (c: Buffer) => {
    text += c.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => text, exited };
}

export async function waitForOutput(started: StartedCommand, pattern: RegExp): Promise<RegExpMatchArray> {
  const missing = () => `${pattern} in:\n${started.output()}`;
  const match = await eventually(
    () => {
      const found = started.output().match(pattern);
      if (!found && started.child.exitCode !== null) throw new Error(`It exited; no ${missing()}`);
      return found;
    },
    (found) => found !== null,
    { timeoutMs: 60_000, intervalMs: 100, what: missing },
  );
  return match!;
}

/** The API's base URL, once Ferry says it is running. */
export async function apiOf(started: StartedCommand): Promise<string> {
  return (await waitForOutput(started, /Ferry is running at (http:\/\/\S+\/api)/))[1];
}

export async function azuritePidOf(started: StartedCommand): Promise<number> {
  return Number((await waitForOutput(started, /Azurite started \(process (\d+)/))[1]);
}

/** The process holding the data folder, from its lock. */
export function lockHolderOf(dataDir: string): number {
  return (JSON.parse(fs.readFileSync(path.join(dataDir, lockFileName), "utf8")) as { pid: number }).pid;
}

export function lockExists(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, lockFileName));
}

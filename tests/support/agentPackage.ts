// The agent tarball as `npm run package:agent` builds it, unpacked where a source server would
// unpack it, and its scripts run as an operator runs them.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { CliResult } from "./agentCli";
import { repoRoot } from "./hostProcess";

const run = promisify(execFile);

/** Builds the tarball into `outDir` with the package script (the compiled one `npm test` just built). */
export async function buildAgentTarball(outDir: string): Promise<string> {
  await run(process.execPath, [path.join(repoRoot, "dist/scripts/packageAgent.js"), "--out-dir", outDir], {
    timeout: 240_000,
  });
  const [name] = fs.readdirSync(outDir).filter((file) => /^ferry-agent-.+-linux-x64\.tar\.gz$/.test(file));
  if (!name) throw new Error(`No agent tarball in ${outDir}.`);
  return path.join(outDir, name);
}

/** Unpacks the tarball into `dir`; the package's own folder. */
export async function unpack(tarball: string, dir: string): Promise<string> {
  await run("tar", ["-xzf", tarball, "-C", dir]);
  return path.join(dir, path.basename(tarball, ".tar.gz"));
}

/** Runs a program as a person at a shell in `cwd` would, with only the environment given. */
export function runIn(cwd: string, file: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every file under `dir`, relative to it, sorted: what is left after an uninstall. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

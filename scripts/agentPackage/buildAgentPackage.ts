/**
 * `npm run package:agent`: the agent as a tarball a source server needs nothing else for. Its
 * layout (docs/agent-run.md, "Install on a source server"):
 *
 *   ferry-agent-<version>-linux-x64/
 *     install, uninstall, ferry-agent (sh)   README, VERSION
 *     node/bin/node                          the Node runtime the package was built with
 *     app/agent/cli.js ...                   the compiled modules the agent loads, and no others
 *     app/node_modules/...                   their runtime packages, native binaries for linux-x64 (glibc)
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { walkImports } from "./importWalk";
import { describeNode, type NodeRuntime } from "./nodeRuntime";
import { linuxX64, runtimePackages } from "./runtimePackages";
import { writeTarGz } from "./tarball";

export interface PackageOptions {
  repoRoot: string;
  outDir: string;
  /** The Node binary to ship (default: the one running this). */
  nodeBinary: string;
}

export interface BuiltPackage {
  file: string;
  bytes: number;
  version: string;
  node: NodeRuntime;
  modules: number;
  packages: string[];
}

const PLATFORM = "linux-x64";
/** Type declarations, sources and maps: nothing the agent loads. */
const notShipped = /(\.d\.[cm]?ts|\.[cm]?ts|\.map)$/;

function copyTree(from: string, to: string): void {
  fs.cpSync(from, to, {
    recursive: true,
    filter: (source) => !notShipped.test(source) && path.basename(source) !== ".bin",
  });
}

/** The agent's modules from dist/ and the packages they load, as `app/`; the packages' names. */
function stageApp(repoRoot: string, app: string, version: string): { modules: number; packages: string[] } {
  const dist = path.join(repoRoot, "dist");
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  const walk = walkImports(dist, "agent/cli.js");
  const undeclared = walk.packages.filter((name) => !Object.hasOwn(manifest.dependencies, name));
  if (undeclared.length > 0)
    throw new Error(`The agent loads ${undeclared.join(", ")}, which package.json has no runtime dependency on.`);
  for (const file of walk.files) {
    fs.mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
    fs.copyFileSync(path.join(dist, file), path.join(app, file));
  }
  const folders = runtimePackages(repoRoot, walk.packages, linuxX64);
  for (const folder of folders) copyTree(path.join(repoRoot, folder), path.join(app, folder));
  // Pins CommonJS whatever package.json a folder above the install holds.
  const own = { name: "ferry-agent", version, private: true, type: "commonjs" };
  fs.writeFileSync(path.join(app, "package.json"), `${JSON.stringify(own, null, 2)}\n`);
  return { modules: walk.files.length, packages: folders.map((folder) => path.relative("node_modules", folder)) };
}

function stageNode(node: NodeRuntime, dir: string): void {
  fs.mkdirSync(path.join(dir, "bin"), { recursive: true });
  fs.copyFileSync(node.binary, path.join(dir, "bin", "node"));
  fs.chmodSync(path.join(dir, "bin", "node"), 0o755);
  if (node.license) fs.copyFileSync(node.license, path.join(dir, "LICENSE"));
}

function stageScripts(repoRoot: string, top: string, version: string, node: NodeRuntime): void {
  const files = path.join(repoRoot, "scripts", "agentPackage", "files");
  for (const name of ["install", "uninstall", "ferry-agent"]) {
    fs.copyFileSync(path.join(files, name), path.join(top, name));
    fs.chmodSync(path.join(top, name), 0o755);
  }
  fs.copyFileSync(path.join(files, "README"), path.join(top, "README"));
  fs.writeFileSync(path.join(top, "VERSION"), `ferry-agent ${version} ${PLATFORM}, Node ${node.version}\n`);
}

/** The entries' time: SOURCE_DATE_EPOCH, else the last commit's, so a rebuild of a commit is the same bytes. */
function archiveTime(repoRoot: string): number {
  const fromEnv = Number(process.env.SOURCE_DATE_EPOCH);
  if (Number.isSafeInteger(fromEnv) && fromEnv > 0) return fromEnv;
  try {
    const out = execFileSync("git", ["log", "-1", "--format=%ct"], { cwd: repoRoot, encoding: "utf8" });
    return Number(out.trim()) || 0;
  } catch {
    return 0;
  }
}

export async function buildAgentPackage(options: PackageOptions): Promise<BuiltPackage> {
  const { repoRoot, outDir } = options;
  const node = describeNode(options.nodeBinary);
  if (node.platform !== PLATFORM)
    throw new Error(`${node.binary} is Node for ${node.platform}; the package is for ${PLATFORM}.`);
  const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string };
  const name = `ferry-agent-${version}-${PLATFORM}`;
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-agent-package-"));
  try {
    const top = path.join(staging, name);
    const app = stageApp(repoRoot, path.join(top, "app"), version);
    stageNode(node, path.join(top, "node"));
    stageScripts(repoRoot, top, version, node);
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${name}.tar.gz`);
    await writeTarGz(staging, name, file, archiveTime(repoRoot));
    return { file, bytes: fs.statSync(file).size, version, node, ...app };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The node_modules folders a set of packages needs at run time on one platform: each package,
 * its dependencies and peers, and those optional dependencies that are installed and fit the
 * platform (napi-rs packages keep their native binary in one optional package per platform).
 */
import fs from "node:fs";
import path from "node:path";

export interface Platform {
  os: string;
  cpu: string;
  libc: string;
}

export const linuxX64: Platform = { os: "linux", cpu: "x64", libc: "glibc" };

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

const readManifest = (dir: string): Manifest =>
  JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as Manifest;

/** npm's rule for `os`, `cpu` and `libc`: absent allows all, `!x` excludes x, else the value must be listed. */
function allows(list: string[] | undefined, value: string): boolean {
  if (!list || list.length === 0) return true;
  if (list.includes(`!${value}`)) return false;
  return list.some((entry) => !entry.startsWith("!")) ? list.includes(value) : true;
}

export function fitsPlatform(manifest: Pick<Manifest, "os" | "cpu" | "libc">, platform: Platform): boolean {
  return allows(manifest.os, platform.os) && allows(manifest.cpu, platform.cpu) && allows(manifest.libc, platform.libc);
}

/** Where Node finds `name` from `fromDir`: the nearest node_modules up to the root's. */
function locate(root: string, fromDir: string, name: string): string | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (fs.existsSync(path.join(candidate, "package.json"))) return candidate;
    if (path.relative(root, dir) === "" || dir === path.dirname(dir)) return undefined;
  }
}

/** Folders relative to `root`, each copied whole, none inside another; sorted. */
export function runtimePackages(root: string, names: string[], platform: Platform): string[] {
  const found = new Set<string>();
  const pending = names.map((name) => ({ name, from: root, optional: false }));
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const dir = locate(root, next.from, next.name);
    if (!dir) {
      if (next.optional) continue;
      throw new Error(`${next.name} is needed at run time but is not installed (run npm ci).`);
    }
    const manifest = readManifest(dir);
    if (found.has(dir) || (next.optional && !fitsPlatform(manifest, platform))) continue;
    found.add(dir);
    const required = { ...manifest.dependencies, ...manifest.peerDependencies };
    for (const name of Object.keys(required)) pending.push({ name, from: dir, optional: false });
    for (const name of Object.keys(manifest.optionalDependencies ?? {}))
      pending.push({ name, from: dir, optional: true });
  }
  const dirs = [...found];
  const nested = (dir: string) => dirs.some((other) => other !== dir && dir.startsWith(`${other}${path.sep}`));
  return dirs
    .filter((dir) => !nested(dir))
    .map((dir) => path.relative(root, dir))
    .sort();
}

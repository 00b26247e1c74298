/**
 * The compiled modules a program loads, found by following its `require("...")` calls from the
 * entry file: the relative ones are files to ship, the bare ones are packages. Node's own modules
 * are left out. A relative require that resolves to nothing fails the walk rather than ship a
 * package that breaks on the source server.
 */
import fs from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";

export interface ModuleSet {
  /** Files relative to the walk's root, sorted. */
  files: string[];
  /** Package names (`zod`, `@node-rs/xxhash`), sorted. */
  packages: string[];
}

const requirePattern = /\brequire\("([^"]+)"\)/g;
const builtins = new Set(builtinModules);

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return parts.slice(0, specifier.startsWith("@") ? 2 : 1).join("/");
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith("node:") || builtins.has(packageName(specifier));
}

/** Node's lookup for a relative require: the file, with .js or .json, or the folder's index.js. */
function resolveRelative(from: string, specifier: string): string {
  const target = path.resolve(path.dirname(from), specifier);
  const candidates = [target, `${target}.js`, `${target}.json`, path.join(target, "index.js")];
  const found = candidates.find((candidate) => fs.statSync(candidate, { throwIfNoEntry: false })?.isFile());
  if (!found) throw new Error(`${from} requires "${specifier}", which resolves to no file.`);
  return found;
}

/** Every module `entry` (a file under `root`) loads, directly or through others. */
export function walkImports(root: string, entry: string): ModuleSet {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [path.resolve(root, entry)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    const relative = path.relative(root, file);
    if (files.has(relative)) continue;
    if (relative.startsWith("..")) throw new Error(`${file} lies outside ${root}.`);
    files.add(relative);
    if (!file.endsWith(".js")) continue;
    for (const [, specifier] of fs.readFileSync(file, "utf8").matchAll(requirePattern)) {
      if (specifier!.startsWith(".")) pending.push(resolveRelative(file, specifier!));
      else if (!isBuiltin(specifier!)) packages.add(packageName(specifier!));
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}

// docs/architecture.md's folder table, held to the code: each folder imports only the project
// folders and packages its row names, every folder has a row, and replication's rooms are
// entered only through their index.
import { builtinModules } from "node:module";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");
const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\/$/, ""));

interface Row {
  folders: string[];
  allowed: string[];
}

/** The rows of the table under "## Folders": backticked folders, and what they may depend on. */
function folderTable(): Row[] {
  const section = read("docs/architecture.md").split("## Folders")[1]!.split("\n## ")[0]!;
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => {
      const cells = line.split(" | ");
      return { folders: ticked(cells[0]!), allowed: ticked(cells[2] ?? "") };
    });
}

const rows = folderTable();
const rowFolders = rows.flatMap((row) => row.folders);
const packageJson = JSON.parse(read("package.json")) as Record<string, Record<string, string>>;
const packages = new Set(Object.keys({ ...packageJson.dependencies, ...packageJson.devDependencies }));
const rooms = fs.readdirSync(path.join(root, "shared/replication")).map((room) => `shared/replication/${room}`);

/** The row folder holding `file` (the longest that contains it). */
function ownerOf(file: string): string | undefined {
  const holders = rowFolders.filter((folder) => file === folder || file.startsWith(`${folder}/`));
  return holders.sort((a, b) => b.length - a.length)[0];
}

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(path.join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const file = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(file);
    return /\.tsx?$/.test(file) ? [file] : [];
  });
}

const skipped = new Set(["node_modules", "dist"]);
const topFolders = fs
  .readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith(".") && !skipped.has(entry.name))
  .map((entry) => entry.name);
const files = topFolders.flatMap(sourceFiles);
const codeFolders = topFolders.filter((folder) => files.some((file) => file.startsWith(`${folder}/`)));

/** A relative import as the file it names (a folder import names its index). */
function resolved(from: string, specifier: string): string {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const candidate of [`${target}.ts`, `${target}.tsx`, `${target}/index.ts`])
    if (fs.existsSync(path.join(root, candidate))) return candidate;
  return target;
}

const packageOf = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");
const isBuiltin = (specifier: string) => specifier.startsWith("node:") || builtinModules.includes(specifier);

/** Every import of `file` that its row does not allow, or that enters a room past its index. */
function violations(file: string): string[] {
  const owner = ownerOf(file);
  if (owner === undefined) return [`${file} lies in no folder of the table`];
  const allowed = rows.find((row) => row.folders.includes(owner))!.allowed;
  const found: string[] = [];
  for (const { fileName: specifier } of ts.preProcessFile(read(file), true, true).importedFiles) {
    if (!specifier.startsWith(".")) {
      const name = packageOf(specifier);
      if (!isBuiltin(specifier) && packages.has(name) && !allowed.includes(name))
        found.push(`${file} imports the package ${name}`);
      continue;
    }
    const target = resolved(file, specifier);
    const folder = ownerOf(target);
    if (folder !== undefined && folder !== owner && !allowed.includes(folder))
      found.push(`${file} imports ${target} (${folder})`);
    const room = rooms.find((r) => target.startsWith(`${r}/`));
    const fromOutside = room !== undefined && !file.startsWith(`${room}/`) && !file.startsWith("tests/unit/");
    if (fromOutside && target !== `${room}/index.ts`) found.push(`${file} enters ${room} past its index: ${target}`);
  }
  return found;
}

describe("docs/architecture.md's folder table", () => {
  it("has a row for every top-level code folder, every folder of shared/ and every replication room", () => {
    const shared = fs.readdirSync(path.join(root, "shared"), { withFileTypes: true });
    const expected = [
      ...codeFolders.filter((folder) => folder !== "shared"),
      ...shared.map((entry) => `shared/${entry.name}`).filter((folder) => folder !== "shared/replication"),
      ...rooms,
    ];
    expect(expected.filter((folder) => !rowFolders.includes(folder))).toEqual([]);
  });

  it("names only project folders of the table and packages of package.json as dependencies", () => {
    const unknown = rows.flatMap((row) => row.allowed).filter((d) => !rowFolders.includes(d) && !packages.has(d));
    // Provided by the Functions host at run time, never installed.
    expect(unknown.filter((name) => name !== "@azure/functions-core")).toEqual([]);
  });

  it("is kept by every folder's imports", () => {
    expect(files.length).toBeGreaterThan(300);
    expect(files.flatMap(violations)).toEqual([]);
  });
});

/** The project files `file` loads when it runs: its relative imports and re-exports, less type-only ones. */
function runtimeImportsOf(file: string): string[] {
  const statements = read(file).matchAll(/^(?:import|export)\s+(type\s+)?(?:[^;"']*?\sfrom\s+)?["'](\.[^"']+)["']/gm);
  return [...statements]
    .filter((statement) => statement[1] === undefined)
    .map((statement) => resolved(file, statement[2]!))
    .filter((target) => fs.existsSync(path.join(root, target)));
}

/** Import circles among `within`, each as the files around it (depth-first, each circle once by its first file). */
function importCircles(within: string[]): string[][] {
  const inside = new Set(within);
  const done = new Set<string>();
  const circles: string[][] = [];
  const visit = (file: string, trail: string[]) => {
    const at = trail.indexOf(file);
    if (at >= 0) return void circles.push(trail.slice(at));
    if (done.has(file)) return;
    for (const target of runtimeImportsOf(file)) if (inside.has(target)) visit(target, [...trail, file]);
    done.add(file);
  };
  for (const file of within) visit(file, []);
  return circles;
}

describe("the code's imports", () => {
  it("form no circle among the files of the code when it runs (the lifecycle reads bottom-up)", () => {
    const code = files.filter((file) => !file.startsWith("tests/") && !file.startsWith("bench/"));
    expect(code.length).toBeGreaterThan(300);
    expect(importCircles(code)).toEqual([]);
  });
});

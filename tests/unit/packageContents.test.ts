// What azd deploys is dist/functions and dist/shared with the runtime dependencies only
// (infra/scripts/package.sh). The app must need nothing else: no relative import leaves those two
// folders, and every package it imports is a runtime dependency, not a development one.
import fs from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const shipped = ["functions", "shared"];
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
};

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** Every module specifier a file imports, statically or with import()/require(). */
function specifiers(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const pattern = /(?:from\s+|import\(\s*|require\(\s*)"([^"]+)"/g;
  return [...text.matchAll(pattern)].map((m) => m[1]!);
}

const packageOf = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

describe("the deployed package", () => {
  const files = shipped.flatMap((dir) => sources(path.join(root, dir)));

  it("holds every file the app imports", () => {
    const outside = files.flatMap((file) =>
      specifiers(file)
        .filter((s) => s.startsWith("."))
        .map((s) => path.relative(root, path.resolve(path.dirname(file), s)))
        .filter((target) => !shipped.some((dir) => target.startsWith(`${dir}${path.sep}`)))
        .map((target) => `${path.relative(root, file)} -> ${target}`),
    );
    expect(outside).toEqual([]);
  });

  it("imports only runtime dependencies and Node's own modules", () => {
    const builtins = new Set(builtinModules);
    const missing = files.flatMap((file) =>
      specifiers(file)
        .filter((s) => !s.startsWith(".") && !s.startsWith("node:") && !builtins.has(s))
        .filter((s) => !(packageOf(s) in manifest.dependencies))
        .map((s) => `${path.relative(root, file)} imports ${s}`),
    );
    expect(missing).toEqual([]);
  });

  it("is staged from those folders, with development dependencies left out", () => {
    const script = fs.readFileSync(path.join(root, "infra/scripts/package.sh"), "utf8");
    expect(script).toContain(`cp -R ${shipped.map((dir) => `dist/${dir}`).join(" ")} "$out/dist/"`);
    expect(script).toMatch(/npm ci --omit=dev/);
  });
});

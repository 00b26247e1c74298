import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");

/** Every module client/index.ts reaches, following relative imports; the bare ones are returned apart. */
function reach(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.includes(file)) continue;
    files.push(file);
    const source = fs.readFileSync(file, "utf8");
    for (const [, specifier] of source.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
      if (!specifier!.startsWith(".")) packages.add(specifier!);
      else queue.push(path.resolve(path.dirname(file), `${specifier!.replace(/\.js$/, "")}.ts`));
    }
  }
  return { files, packages };
}

describe("the typed client's core", () => {
  it("reaches no Node module and no package but zod, so a browser bundle can hold it", () => {
    const { files, packages } = reach(path.join(root, "client/index.ts"));
    expect([...packages]).toEqual(["zod"]);
    for (const file of files) {
      expect(fs.readFileSync(file, "utf8"), path.relative(root, file)).not.toMatch(/\b(process\.|Buffer\b|__dirname)/);
    }
  });
});

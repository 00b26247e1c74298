import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error a plain build script, without type declarations
import { pruneStaleOutputs } from "../../scripts/pruneDist.mjs";

function tree(files: string[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-prune-"));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), "");
  }
  return root;
}

describe("the build's stale-output pruning", () => {
  it("removes a compiled module whose source moved into a folder, so the folder's index is what loads", () => {
    const root = tree([
      "shared/ingest/index.ts",
      "dist/shared/ingest.js",
      "dist/shared/ingest.js.map",
      "dist/shared/ingest/index.js",
    ]);
    (pruneStaleOutputs as (root: string, folders: string[]) => void)(root, ["shared"]);
    expect(fs.existsSync(path.join(root, "dist/shared/ingest.js"))).toBe(false);
    expect(fs.existsSync(path.join(root, "dist/shared/ingest.js.map"))).toBe(false);
    expect(fs.existsSync(path.join(root, "dist/shared/ingest/index.js"))).toBe(true);
  });

  it("leaves outputs of folders it does not compile, and files that are not compiled modules", () => {
    const root = tree(["dist/portal/app-1234.js", "dist/.tsbuildinfo", "dist/shared/notes.txt"]);
    (pruneStaleOutputs as (root: string, folders: string[]) => void)(root, ["shared"]);
    expect(fs.existsSync(path.join(root, "dist/portal/app-1234.js"))).toBe(true);
    expect(fs.existsSync(path.join(root, "dist/.tsbuildinfo"))).toBe(true);
    expect(fs.existsSync(path.join(root, "dist/shared/notes.txt"))).toBe(true);
  });
});

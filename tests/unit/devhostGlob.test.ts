import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFiles, globToRegExp } from "../../devhost/app/glob";

describe("glob patterns", () => {
  it("keeps * within one folder and lets ** cross folders", () => {
    expect(globToRegExp("src/*.js").test("src/a.js")).toBe(true);
    expect(globToRegExp("src/*.js").test("src/sub/a.js")).toBe(false);
    expect(globToRegExp("dist/**/*.js").test("dist/a.js")).toBe(true);
    expect(globToRegExp("dist/**/*.js").test("dist/x/y/a.js")).toBe(true);
  });

  it("supports ? and {a,b} and treats dots literally", () => {
    expect(globToRegExp("f?.js").test("f1.js")).toBe(true);
    expect(globToRegExp("f?.js").test("f12.js")).toBe(false);
    expect(globToRegExp("src/{a,b}.js").test("src/b.js")).toBe(true);
    expect(globToRegExp("src/{a,b}.js").test("src/c.js")).toBe(false);
    expect(globToRegExp("*.js").test("ajs")).toBe(false);
  });
});

describe("finding entry files", () => {
  let root: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "devhost-glob-"));
    for (const file of [
      "dist/b.js",
      "dist/a.js",
      "dist/sub/c.js",
      "dist/a.js.map",
      "node_modules/x/index.js",
      ".hidden/d.js",
    ]) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), "");
    }
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("returns matches sorted, skipping node_modules and dot folders", () => {
    const found = findFiles(root, "**/*.js").map((f) => path.relative(root, f));
    expect(found).toEqual(["dist/a.js", "dist/b.js", "dist/sub/c.js"]);
  });

  it("ignores a leading ./", () => {
    expect(findFiles(root, "./dist/*.js").map((f) => path.relative(root, f))).toEqual(["dist/a.js", "dist/b.js"]);
  });
});

// The parts of `npm run package:agent` that decide what ships: the import walk and the platform rule.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { walkImports } from "../../scripts/agentPackage/importWalk";
import { fitsPlatform, linuxX64, runtimePackages } from "../../scripts/agentPackage/runtimePackages";
import { removeTempDirs, tempDir } from "../support/agentCli";

afterAll(removeTempDirs);

function tree(files: Record<string, string>): string {
  const root = tempDir("ferry-package-parts-");
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe("the agent package's import walk", () => {
  it("follows relative requires to files, folder indexes and JSON, and names packages but not Node's own", () => {
    const root = tree({
      "agent/cli.js": 'require("node:fs"); require("os"); require("./run"); require("@node-rs/xxhash/sub");',
      "agent/run/index.js": 'require("../../shared/wire"); require("zod"); require("./data.json");',
      "agent/run/data.json": "{}",
      "shared/wire.js": 'require("lz4-napi");',
      "shared/unused.js": 'require("typescript");',
    });
    expect(walkImports(root, "agent/cli.js")).toEqual({
      files: ["agent/cli.js", "agent/run/data.json", "agent/run/index.js", "shared/wire.js"],
      packages: ["@node-rs/xxhash", "lz4-napi", "zod"],
    });
  });

  it("fails on a relative require that resolves to no file", () => {
    const root = tree({ "agent/cli.js": 'require("./gone");' });
    expect(() => walkImports(root, "agent/cli.js")).toThrow(
      /agent\/cli\.js requires "\.\/gone", which resolves to no file/,
    );
  });
});

describe("the agent package's runtime packages", () => {
  it("keeps the optional platform packages that fit linux-x64 with glibc, and no others", () => {
    expect(fitsPlatform({ os: ["linux"], cpu: ["x64"], libc: ["glibc"] }, linuxX64)).toBe(true);
    expect(fitsPlatform({ os: ["linux"], cpu: ["x64"], libc: ["musl"] }, linuxX64)).toBe(false);
    expect(fitsPlatform({ os: ["linux"], cpu: ["arm64"] }, linuxX64)).toBe(false);
    expect(fitsPlatform({ os: ["!win32"] }, linuxX64)).toBe(true);
    expect(fitsPlatform({}, linuxX64)).toBe(true);
  });

  it("takes each package with its dependencies, and the installed optional ones that fit", () => {
    const manifest = (body: object) => JSON.stringify({ name: "x", ...body });
    const root = tree({
      "node_modules/native/package.json": manifest({
        dependencies: { helper: "1" },
        optionalDependencies: { "native-linux-x64-gnu": "1", "native-linux-x64-musl": "1", "native-darwin": "1" },
      }),
      "node_modules/native-linux-x64-gnu/package.json": manifest({ os: ["linux"], cpu: ["x64"], libc: ["glibc"] }),
      "node_modules/native-linux-x64-musl/package.json": manifest({ os: ["linux"], cpu: ["x64"], libc: ["musl"] }),
      "node_modules/helper/package.json": manifest({}),
      "node_modules/helper/node_modules/inner/package.json": manifest({}),
      "node_modules/unrelated/package.json": manifest({}),
    });
    expect(runtimePackages(root, ["native"], linuxX64)).toEqual([
      "node_modules/helper",
      "node_modules/native",
      "node_modules/native-linux-x64-gnu",
    ]);
    expect(() => runtimePackages(root, ["missing"], linuxX64)).toThrow(/missing is needed at run time/);
  });
});

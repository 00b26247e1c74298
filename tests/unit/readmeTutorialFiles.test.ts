import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const repoRoot = path.resolve(__dirname, "../..");

/** The shell blocks of the README's "A first migration". */
function tutorialCode(): string {
  const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
  const start = readme.indexOf("## A first migration");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join("\n");
}

/** Files and folders the commands write: redirections, the agent's state and disks, downloads. */
function writtenPaths(code: string): string[] {
  const uncommented = code
    .split("\n")
    .map((line) => line.replace(/(^|\s)#.*$/, ""))
    .join("\n");
  const patterns = [/>\s*([^\s|&;>]+)/g, /--state-dir\s+(\S+)/g, /--disk\s+(\S+)/g, /(?:-o|--output)\s+(\S+)/g];
  return [...new Set(patterns.flatMap((p) => [...uncommented.matchAll(p)].map((m) => m[1])))];
}

function ignoredByGit(file: string): boolean {
  try {
    execFileSync("git", ["check-ignore", "-q", "--no-index", file], { cwd: repoRoot });
    return true;
  } catch {
    return false;
  }
}

describe("README first migration", () => {
  it("writes only files git ignores, and none into the sources", () => {
    const written = writtenPaths(tutorialCode());
    expect(written.length).toBeGreaterThan(0);
    const tracked = written.filter((file) => !file.startsWith("$") && !ignoredByGit(file));
    expect(tracked).toEqual([]);
  });

  it("never passes a command that powers off the machine it runs on as the shutdown command", () => {
    const commands = [...tutorialCode().matchAll(/--shutdown-command\s+'([^']*)'/g)].map((m) => m[1]);
    for (const command of commands) expect(command).not.toMatch(/poweroff|shutdown|halt|reboot|init 0/);
  });
});

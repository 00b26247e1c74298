import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DataFolderInUseError, holdDataFolder, lockFileName } from "../../devhost/cli/dataLock";

const folders: string[] = [];

function folder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-lock-"));
  folders.push(dir);
  return dir;
}

/** The pid of a process that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid ?? 0;
}

function writeLock(dir: string, pid: number, since = "2026-01-01T00:00:00.000Z"): void {
  fs.writeFileSync(path.join(dir, lockFileName), JSON.stringify({ pid, since }));
}

describe("data folder lock", () => {
  afterEach(() => {
    for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("names this process and when it took the folder, and is gone once released", () => {
    const dir = folder();
    const lock = holdDataFolder(dir);
    const held = JSON.parse(fs.readFileSync(path.join(dir, lockFileName), "utf8")) as { pid: number; since: string };
    expect(held.pid).toBe(process.pid);
    expect(Date.now() - Date.parse(held.since)).toBeLessThan(60_000);
    lock.release();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("refuses a folder a live process holds, naming it and since when, and leaves its lock alone", () => {
    const dir = folder();
    writeLock(dir, process.ppid, "2026-01-01T00:00:00.000Z");
    const before = fs.readFileSync(path.join(dir, lockFileName), "utf8");
    expect(() => holdDataFolder(dir)).toThrow(DataFolderInUseError);
    expect(() => holdDataFolder(dir)).toThrow(`in use by process ${process.ppid} (since 2026-01-01T00:00:00.000Z)`);
    expect(fs.readFileSync(path.join(dir, lockFileName), "utf8")).toBe(before);
  });

  it("takes over a lock left by a process that is gone, and says whose it was", () => {
    const dir = folder();
    const pid = deadPid();
    writeLock(dir, pid);
    const lock = holdDataFolder(dir);
    expect(lock.tookOverFrom?.pid).toBe(pid);
    expect(JSON.parse(fs.readFileSync(path.join(dir, lockFileName), "utf8"))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it("takes over a lock file that does not parse", () => {
    const dir = folder();
    fs.writeFileSync(path.join(dir, lockFileName), "{not json");
    const lock = holdDataFolder(dir);
    expect(lock.tookOverFrom).toBeDefined();
    lock.release();
  });

  it("releases nothing of a lock another process took after it", () => {
    const dir = folder();
    const lock = holdDataFolder(dir);
    writeLock(dir, process.ppid);
    lock.release();
    expect(JSON.parse(fs.readFileSync(path.join(dir, lockFileName), "utf8"))).toMatchObject({ pid: process.ppid });
  });
});

/**
 * An agent state directory that runs out of space, with real ENOSPC from the kernel: spool files
 * that are links to /dev/full (every write fails), or the whole state directory on a small tmpfs
 * of its own (mounted in a private user and mount namespace, so no root is needed where the
 * kernel allows unprivileged namespaces).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, watch, type FSWatcher } from "node:fs";
import { lstat, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "./hostProcess";
import { fastRunEnv, watchAgent, type RunningAgent } from "./agentRunKit";

export interface WriteFault {
  /** Ends the fault: the links are removed and no longer put back. */
  release(): Promise<void>;
}

/** Why /dev/full cannot stand in for a full disk here, or undefined when it can. */
export function devFullUnavailable(): string | undefined {
  return existsSync("/dev/full") ? undefined : "this system has no /dev/full (writes to it fail with ENOSPC on Linux)";
}

/** The spool files of `diskId` for `count` sequences from `fromSequence`. */
export function spoolFiles(stateDir: string, diskId: string, fromSequence: number, count = 200): string[] {
  return Array.from({ length: count }, (_, i) => path.join(stateDir, "spool", `${diskId}-${fromSequence + i}.batch`));
}

/**
 * Makes each of `files` a link to /dev/full, so a write to it fails with ENOSPC. The agent
 * deletes a file whose write failed; a watcher puts the link back at once, so the disk stays
 * full for every attempt until `release`.
 */
export function linkToDevFull(files: string[]): WriteFault {
  let released = false;
  const plant = async () => {
    for (const file of files) {
      if (released) return;
      await symlink("/dev/full", file).catch(() => undefined);
    }
  };
  // One planting at a time, so release can wait for the last before it removes the links.
  let planting = plant();
  const again = () => {
    planting = planting.then(plant);
  };
  const watchers: FSWatcher[] = [...new Set(files.map((file) => path.dirname(file)))].map((dir) => watch(dir, again));
  const timer = setInterval(again, 20);
  return {
    release: async () => {
      released = true;
      for (const watcher of watchers) watcher.close();
      clearInterval(timer);
      await planting;
      for (const file of files) {
        const info = await lstat(file).catch(() => undefined);
        if (info?.isSymbolicLink()) await rm(file, { force: true });
      }
    },
  };
}

/** Why a small tmpfs cannot be mounted for the agent here, or undefined when it can. */
export function smallFilesystemUnavailable(): string | undefined {
  const probe = spawnSync("unshare", ["-rm", "sh", "-c", 'mount -t tmpfs -o size=64k tmpfs "$1"', "sh", os.tmpdir()], {
    encoding: "utf8",
    timeout: 10_000,
  });
  if (probe.error) return `unshare could not run (${probe.error.message})`;
  if (probe.status === 0) return undefined;
  return `this machine does not let the tests mount a tmpfs in a namespace of their own (${probe.stderr.trim()})`;
}

export interface SmallDiskAgent extends RunningAgent {
  /** Deletes the ballast that took the filesystem's other space: the space returns. */
  freeAll(): Promise<void>;
}

/**
 * `agent run` on `stateDir` remounted as a tmpfs of `sizeBytes` with only about `freeBytes`
 * left (a ballast file takes the rest): the registered agent.json is copied onto it; the rest of
 * the machine (the source image, the server) stays as it is.
 */
export function startAgentOnSmallDisk(
  stateDir: string,
  sizes: { sizeBytes: number; freeBytes: number },
  env: Record<string, string> = fastRunEnv,
): SmallDiskAgent {
  const script =
    'state=$(cat "$2/agent.json") && mount -t tmpfs -o size="$1",mode=0700 tmpfs "$2" && ' +
    'printf %s "$state" > "$2/agent.json" && head -c "$3" /dev/zero > "$2/ballast" && ' +
    'exec "$4" "$5" run --state-dir "$2"';
  const ballastBytes = sizes.sizeBytes - sizes.freeBytes;
  const child = spawn(
    "unshare",
    [
      "-rm",
      "sh",
      "-c",
      script,
      "sh",
      String(sizes.sizeBytes),
      stateDir,
      String(ballastBytes),
      process.execPath,
      cliPath(),
    ],
    { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  // The tmpfs exists only in the agent's namespace; its /proc root reaches it from here.
  const ballast = path.join(`/proc/${child.pid}/root`, stateDir, "ballast");
  return { ...watchAgent(child), freeAll: () => rm(ballast, { force: true }) };
}

const cliPath = () => path.join(repoRoot, "dist/agent/cli.js");

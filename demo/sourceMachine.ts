import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes, randomInt } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const MiB = 1024 * 1024;

export interface SourceDiskImage {
  diskId: string;
  file: string;
  sizeBytes: number;
}

/** A disk image with data regions, zero regions and a size that is not a multiple of 4 KiB. */
export function makeImage(file: string, diskId: string, mib: number): SourceDiskImage {
  const sizeBytes = mib * MiB + 3 * 512;
  const fd = fs.openSync(file, "w");
  try {
    fs.ftruncateSync(fd, sizeBytes);
    // Every other MiB holds random bytes; the rest stays zero (sent as zero runs, never as bytes).
    for (let at = 0; at + MiB <= sizeBytes; at += 2 * MiB) fs.writeSync(fd, randomBytes(MiB), 0, MiB, at);
    fs.writeSync(fd, randomBytes(1000), 0, 1000, sizeBytes - 1000);
  } finally {
    fs.closeSync(fd);
  }
  return { diskId, file, sizeBytes };
}

export function sha256OfFile(file: string): string {
  const hash = createHash("sha256");
  const fd = fs.openSync(file, "r");
  const buffer = Buffer.alloc(4 * MiB);
  try {
    for (let read = 0; (read = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0;)
      hash.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest("hex");
}

/**
 * The workload on the source: random 4 KiB writes while it runs. Its shutdown is a handshake:
 * the shutdown command asks (a "request" file) and returns only once the writer has stopped,
 * as a real shutdown returns only once the machine is quiet.
 */
export class Workload {
  private timer: NodeJS.Timeout | undefined;
  writes = 0;

  constructor(
    private readonly disk: SourceDiskImage,
    private readonly dir: string,
  ) {}

  get shutdownCommand(): string {
    const req = path.join(this.dir, "shutdown.request");
    const done = path.join(this.dir, "shutdown.done");
    return `touch '${req}'; while [ ! -f '${done}' ]; do sleep 0.05; done`;
  }

  start(intervalMs = 100): void {
    this.timer = setInterval(() => this.tick(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    if (fs.existsSync(path.join(this.dir, "shutdown.request"))) {
      this.stop();
      fs.writeFileSync(path.join(this.dir, "shutdown.done"), "");
      return;
    }
    const fd = fs.openSync(this.disk.file, "r+");
    try {
      const block = randomInt(0, Math.floor(this.disk.sizeBytes / 4096));
      fs.writeSync(fd, randomBytes(4096), 0, 4096, block * 4096);
      this.writes += 1;
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** Runs the agent CLI (`node dist/agent/cli.js ...`); `run` keeps going in the background. */
export function agentProcess(
  distRoot: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): ChildProcess {
  const child = spawn(process.execPath, [path.join(distRoot, "agent/cli.js"), ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const forward = (chunk: Buffer) =>
    chunk
      .toString()
      .split("\n")
      .filter(Boolean)
      .forEach((l) => log(`    agent: ${l}`));
  child.stdout?.on("data", forward);
  child.stderr?.on("data", forward);
  return child;
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

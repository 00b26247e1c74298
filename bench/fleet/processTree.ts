/**
 * A process and everything it started, read from /proc: CPU seconds (its own, its live
 * descendants', and what its exited children left in cutime/cstime) and resident memory, sampled
 * for a peak (each process's VmHWM is its own peak; the tree's peak is the largest sum seen).
 */
import { readdirSync, readFileSync } from "node:fs";

function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}

/** The pid and its live descendants. */
export function treePids(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    const tasks = (() => {
      try {
        return readdirSync(`/proc/${pids[i]}/task`);
      } catch {
        return [];
      }
    })();
    for (const task of tasks)
      for (const child of readOr(`/proc/${pids[i]}/task/${task}/children`, "").split(" "))
        if (child.trim()) pids.push(Number(child));
  }
  return pids;
}

const ticksPerSecond = 100;

/** utime + stime + cutime + cstime of one process, in seconds; 0 once it is gone. */
function processCpu(pid: number): number {
  // The fields after the parenthesised command name: utime is the 14th field of the line, cstime the 17th.
  const fields = readOr(`/proc/${pid}/stat`, "")
    .replace(/^.*\) /s, "")
    .split(" ");
  if (fields.length < 15) return 0;
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) / ticksPerSecond;
}

export const treeCpuSeconds = (pid: number): number => treePids(pid).reduce((sum, p) => sum + processCpu(p), 0);

function statusKiB(pid: number, field: "VmRSS" | "VmHWM"): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readOr(`/proc/${pid}/status`, ""));
  return match ? Number(match[1]) : 0;
}

/** Samples the tree's resident memory every `everyMs`, keeping the peak (bytes). */
export class TreePeakRss {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    everyMs = 500,
  ) {
    this.timer = setInterval(() => this.read(), everyMs);
    this.timer.unref();
  }

  read(): number {
    const pids = treePids(this.pid);
    const now = pids.reduce((sum, p) => sum + statusKiB(p, "VmRSS"), 0);
    // A tree of one: the kernel's own high-water mark catches peaks between samples.
    const own = pids.length === 1 ? statusKiB(this.pid, "VmHWM") : 0;
    this.peak = Math.max(this.peak, now * 1024, own * 1024);
    return this.peak;
  }

  stop(): number {
    clearInterval(this.timer);
    return this.read();
  }
}

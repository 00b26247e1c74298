import { readFileSync } from "node:fs";

/** VmHWM: the kernel's own peak resident set of a process, 0 once it has exited. */
export function highWaterMark(pid: number | undefined): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Keeps the highest VmHWM seen of a process, read every `everyMs` (the kernel's figure is a peak already). */
export class PeakRss {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number | undefined,
    everyMs = 500,
  ) {
    this.timer = setInterval(() => this.read(), everyMs);
    this.timer.unref();
  }

  read(): number {
    this.peak = Math.max(this.peak, highWaterMark(this.pid));
    return this.peak;
  }

  stop(): number {
    clearInterval(this.timer);
    return this.read();
  }
}

/** CPU seconds (user + system) a process has used so far, 0 once it has exited. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th of the line.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8")
      .replace(/^.*\) /s, "")
      .split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * A wall clock shared by the processes a test starts with `env()` (a host, an agent): set or
 * advance it and they all see the new time within 100 ms (tests/support/clockShift.cjs).
 */
import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const preload = path.join(__dirname, "clockShift.cjs");

export class TestClock {
  private offset = 0;

  constructor(private readonly file: string) {
    writeFileSync(file, "0");
  }

  /** A clock file in `dir`, at real time. */
  static in(dir: string, name = "clock"): TestClock {
    return new TestClock(path.join(dir, `${name}.offset`));
  }

  /** Settings that put a process on this clock. */
  env(): Record<string, string> {
    const inherited = process.env.NODE_OPTIONS ? `${process.env.NODE_OPTIONS} ` : "";
    return { NODE_OPTIONS: `${inherited}--require ${preload}`, FERRY_TEST_CLOCK_FILE: this.file };
  }

  get offsetMs(): number {
    return this.offset;
  }

  /** What the processes on this clock read as now. */
  now(): Date {
    return new Date(Date.now() + this.offset);
  }

  /** Sets the offset from real time; resolves once every process has read it. */
  async set(offsetMs: number): Promise<void> {
    this.offset = offsetMs;
    writeFileSync(`${this.file}.tmp`, String(offsetMs));
    renameSync(`${this.file}.tmp`, this.file);
    await sleep(300);
  }

  advance(ms: number): Promise<void> {
    return this.set(this.offset + ms);
  }
}

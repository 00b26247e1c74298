import { setTimeout as sleep } from "node:timers/promises";

export interface EventuallyOptions<T> {
  /** Give up after this long (20 s unless told). */
  timeoutMs?: number;
  /** Pause between reads (50 ms unless told). */
  intervalMs?: number;
  /** What the wait is for, told when it gives up; a function gets the last value read. */
  what?: string | ((last: T) => string);
}

/**
 * Reads until `done` accepts the value and returns that value. A read that throws ends the wait
 * with its error; after `timeoutMs` the wait fails, naming what it waited for and the last value.
 */
export async function eventually<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  options: EventuallyOptions<T> = {},
): Promise<T> {
  const { timeoutMs = 20_000, intervalMs = 50, what = "a condition" } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      const told = typeof what === "function" ? what(value) : `${what}; last value: ${JSON.stringify(value)}`;
      throw new Error(`Gave up after ${timeoutMs} ms waiting for ${told}`);
    }
    await sleep(intervalMs);
  }
}

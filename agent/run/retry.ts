/**
 * When to try a request again: network errors, 408, 429 and 5xx, after an exponential backoff
 * with jitter (so many agents do not return in step), or exactly as long as Retry-After asks.
 */
import { setTimeout as sleep } from "node:timers/promises";

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 500, maxMs: 60_000 };

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Retry-After as seconds or an HTTP date, in milliseconds from `nowMs`. */
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Backoff for the n-th retry (0-based): half fixed, half random; Retry-After wins when given. */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, 3_600_000) + random() * 100;
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}

export interface Reply {
  status: number;
  retryAfterMs?: number;
}

/**
 * Runs `attempt` until it gives a reply that is not retryable. Gives up only when `signal`
 * aborts: a long-running agent outlasts any outage.
 */
export async function withRetries<T extends Reply>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal,
  onRetry: (why: string, delayMs: number) => void,
): Promise<T> {
  for (let n = 0; ; n += 1) {
    let why: string;
    let delay: number;
    try {
      const reply = await attempt();
      if (!isRetryableStatus(reply.status)) return reply;
      why = `HTTP ${reply.status}`;
      delay = retryDelayMs(n, policy, reply.retryAfterMs);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      why = error instanceof Error ? error.message : String(error);
      delay = retryDelayMs(n, policy);
    }
    onRetry(why, delay);
    await sleep(delay, undefined, { signal });
  }
}

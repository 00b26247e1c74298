import { describe, expect, it } from "vitest";
import { isRetryableStatus, parseRetryAfter, retryDelayMs, withRetries } from "../../agent/run/retry";

const policy = { baseMs: 100, maxMs: 2000 };

describe("agent retries", () => {
  it("retries network-like failures, 408, 429 and 5xx only", () => {
    expect([408, 429, 500, 503].every(isRetryableStatus)).toBe(true);
    expect([200, 400, 401, 404, 409].some(isRetryableStatus)).toBe(false);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it("backs off exponentially with jitter up to a ceiling, and waits what Retry-After asks", () => {
    expect(retryDelayMs(0, policy, undefined, () => 0)).toBe(50);
    expect(retryDelayMs(3, policy, undefined, () => 1)).toBe(800);
    expect(retryDelayMs(20, policy, undefined, () => 1)).toBe(2000);
    expect(retryDelayMs(0, policy, 5000, () => 0)).toBe(5000);
  });

  it("tries again after a retryable answer and returns the first final one", async () => {
    const replies = [{ status: 503, retryAfterMs: 150 }, { status: 500 }, { status: 200 }];
    const waits: number[] = [];
    const started = Date.now();
    const reply = await withRetries(
      async () => replies.shift() ?? { status: 599 },
      policy,
      new AbortController().signal,
      (_why, delay) => waits.push(delay),
    );
    expect(reply.status).toBe(200);
    expect(waits[0]).toBeGreaterThanOrEqual(150);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });
});

import { describe, expect, it } from "vitest";
import { TokenBucket } from "../../agent/run/tokenBucket";

/** Takes `chunks` pieces of `size` bytes from the bucket, as the batch sender does before each write. */
async function drain(bucket: TokenBucket, chunks: number, size: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < chunks; i += 1) await bucket.take(size);
  return (performance.now() - started) / 1000;
}

describe("the bandwidth throttle", () => {
  it("holds a stream to the configured rate", async () => {
    const seconds = await drain(new TokenBucket(2_000_000), 40, 16 * 1024);
    expect(seconds).toBeGreaterThan(0.25);
    expect(seconds).toBeLessThan(1.2);
  });

  it("lets everything through at once without a rate", async () => {
    expect(await drain(new TokenBucket(undefined), 100, 64 * 1024)).toBeLessThan(0.1);
  });
});

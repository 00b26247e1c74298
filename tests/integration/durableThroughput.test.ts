import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startDurableHost, type DurableHost } from "../fixtures/durable-app/harness";

let d: DurableHost;
beforeAll(async () => {
  d = await startDurableHost(inject("storageConnectionString"));
});
afterAll(async () => {
  await d?.stop();
});

async function timed(name: string, input: number): Promise<{ output: unknown; perSecond: number }> {
  const started = Date.now();
  const status = await d.waitFor(await d.start(name, input), 60_000, false);
  const perSecond = input / ((Date.now() - started) / 1000);
  console.log(`${name}(${input}): ${perSecond.toFixed(0)} activities/s`);
  return { output: status.output, perSecond };
}

describe("durable throughput", () => {
  it("runs 200 sequential activities and a fan-out of 200 at a useful rate", async () => {
    const sequential = await timed("sequence", 200);
    expect((sequential.output as number[])[199]).toBe(398);
    const fanOut = await timed("fanOut", 200);
    expect(fanOut.output).toBe(39800);
    expect(sequential.perSecond).toBeGreaterThan(20);
    expect(fanOut.perSecond).toBeGreaterThan(50);
  });
});

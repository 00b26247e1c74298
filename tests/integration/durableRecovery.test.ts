import { describe, expect, inject, it } from "vitest";
import { uniqueHubName } from "../support/hostProcess";
import { eventTypes, startDurableHost, type DurableHost } from "../fixtures/durable-app/harness";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Through the status webhook: quick, and independent of the app's functions. */
async function runtimeStatusOf(d: DurableHost, id: string): Promise<string> {
  const reply = await fetch(`${d.host.origin}/runtime/webhooks/durabletask/instances/${id}?code=${d.host.masterKey}`);
  return ((await reply.json()) as { runtimeStatus: string }).runtimeStatus;
}

describe("durable recovery after a crash", () => {
  it("resumes and completes every acknowledged instance after SIGKILL, recording each result once", async () => {
    const storage = inject("storageConnectionString");
    const hub = uniqueHubName("Crash");
    const hosts: DurableHost[] = [];
    try {
      const first = await startDurableHost(storage, hub);
      hosts.push(first);
      // 40 sequential 200 ms activities: each instance needs 8 s, so most are mid-way at the kill.
      const work = await Promise.all(
        Array.from({ length: 12 }, (_, i) => first.start("crashWork", { id: i, steps: 40, ms: 200, fan: 6 })),
      );
      const [timer, waiter, parent] = await Promise.all([
        first.start("timer", 3000),
        first.start("waiter"),
        first.start("crashParent"),
      ]);
      await pause(300);
      expect((await first.client("raise", { instanceId: waiter, event: "go", data: 3 })).status).toBe(200);
      const lastMinute = await Promise.all(Array.from({ length: 3 }, () => first.start("sequence", 3)));
      const inFlight = await Promise.all(work.map((id) => runtimeStatusOf(first, id)));
      await first.host.kill("SIGKILL");
      expect(inFlight.filter((s) => s === "Running").length).toBeGreaterThanOrEqual(6);

      const second = await startDurableHost(storage, hub);
      hosts.push(second);
      for (const [i, id] of work.entries()) {
        const status = await second.waitFor(id, 60_000);
        expect(status.output).toEqual({ id: i, total: 780, fanned: 6 });
        const types = eventTypes(status);
        expect(types.filter((t) => t === "TaskScheduled")).toHaveLength(46);
        expect(types.filter((t) => t === "TaskCompleted")).toHaveLength(46);
      }
      expect((await second.waitFor(timer)).output).toEqual({ waited: true, doubled: 42 });
      expect((await second.waitFor(waiter)).output).toBe(6);
      const family = await second.waitFor(parent, 60_000);
      expect(family.output).toEqual([190, 190, 190]);
      expect(eventTypes(family).filter((t) => t === "SubOrchestrationInstanceCreated")).toHaveLength(3);
      for (const id of lastMinute) expect((await second.waitFor(id)).output).toEqual([0, 2, 4]);
    } finally {
      for (const host of hosts) await host.host.kill("SIGTERM");
    }
  }, 120_000);
});

describe("one host per task hub", () => {
  it("refuses a second live host on the same hub, naming the holder", async () => {
    const storage = inject("storageConnectionString");
    const hub = uniqueHubName("Lease");
    const first = await startDurableHost(storage, hub);
    try {
      await expect(startDurableHost(storage, hub)).rejects.toThrow(/driven by another host \(pid \d+/);
      expect((await first.waitFor(await first.start("sequence", 2))).output).toEqual([0, 2]);
    } finally {
      await first.stop();
    }
  }, 60_000);
});

import { describe, expect, inject, it } from "vitest";
import { uniqueHubName } from "../support/hostProcess";
import { eventTypes, startDurableHost, type DurableHost } from "../fixtures/durable-app/harness";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("durable recovery after a crash", () => {
  it("resumes and completes every acknowledged instance after SIGKILL, recording each result once", async () => {
    const storage = inject("storageConnectionString");
    const hub = uniqueHubName("Crash");
    const hosts: DurableHost[] = [];
    try {
      const first = await startDurableHost(storage, hub);
      hosts.push(first);
      const work = await Promise.all(Array.from({ length: 12 }, (_, i) => first.start("crashWork", { id: i, steps: 20, ms: 150, fan: 6 })));
      const [timer, waiter] = await Promise.all([first.start("timer", 3000), first.start("waiter")]);
      await pause(300);
      expect((await first.client("raise", { instanceId: waiter, event: "go", data: 3 })).status).toBe(200);
      const lastMinute = await Promise.all(Array.from({ length: 3 }, () => first.start("sequence", 3)));
      const inFlight = await Promise.all(work.map((id) => first.status(id)));
      await first.host.kill("SIGKILL");
      expect(inFlight.filter((s) => s.runtimeStatus === "Running").length).toBeGreaterThanOrEqual(6);

      const second = await startDurableHost(storage, hub);
      hosts.push(second);
      for (const [i, id] of work.entries()) {
        const status = await second.waitFor(id, 60_000);
        expect(status.output).toEqual({ id: i, total: 190, fanned: 6 });
        const types = eventTypes(status);
        expect(types.filter((t) => t === "TaskScheduled")).toHaveLength(26);
        expect(types.filter((t) => t === "TaskCompleted")).toHaveLength(26);
      }
      expect((await second.waitFor(timer)).output).toEqual({ waited: true, doubled: 42 });
      expect((await second.waitFor(waiter)).output).toBe(6);
      for (const id of lastMinute) expect((await second.waitFor(id)).output).toEqual([0, 2, 4]);
    } finally {
      for (const host of hosts) await host.host.kill("SIGTERM");
    }
  }, 120_000);
});

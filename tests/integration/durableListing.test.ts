import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startDurableHost, type DurableHost, type InstanceStatus } from "../fixtures/durable-app/harness";

let d: DurableHost;
beforeAll(async () => {
  d = await startDurableHost(inject("storageConnectionString"));
});
afterAll(async () => {
  await d?.stop();
});

describe("listing and bulk purging instances", () => {
  it("filters by runtime status and creation time, across continuation pages", async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    // Bulk starts go through the creation webhook (quicker); every read below goes through DurableClient.
    const create = (i: number) =>
      fetch(`${d.host.origin}/runtime/webhooks/durabletask/orchestrators/sequence/done-${i}?code=${d.host.masterKey}`, {
        method: "POST",
        body: "1",
      });
    const created = await Promise.all(Array.from({ length: 105 }, (_, i) => create(i)));
    expect(created.every((r) => r.status === 202)).toBe(true);
    for (let i = 0; i < 300; i++) {
      const finished = await d.client<InstanceStatus[]>("list", { runtimeStatus: ["Completed"] });
      if (finished.result?.length === 105) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const waiting = await d.start("waiter", undefined, "still-waiting");

    const all = await d.client<InstanceStatus[]>("listAll");
    expect(all.result).toHaveLength(106);
    const running = await d.client<InstanceStatus[]>("list", { runtimeStatus: ["Running", "Pending"] });
    expect(running.result?.map((s) => s.instanceId)).toEqual([waiting]);
    const completed = await d.client<InstanceStatus[]>("list", { runtimeStatus: ["Completed"], from });
    expect(completed.result).toHaveLength(105);
    const future = await d.client<InstanceStatus[]>("list", { from: new Date(Date.now() + 60_000).toISOString() });
    expect(future.result).toEqual([]);

    const purged = await d.client<{ instancesDeleted: number }>("purgeBy", { from, runtimeStatus: ["Completed"] });
    expect(purged.result).toEqual({ instancesDeleted: 105 });
    expect((await d.client<InstanceStatus[]>("listAll")).result?.map((s) => s.instanceId)).toEqual([waiting]);
    await d.client("terminate", { instanceId: waiting, reason: "done" });
  }, 120_000);

  it("refuses a second start of a running instance id and restarts a finished one", async () => {
    const id = await d.start("waiter", undefined, "reused-id");
    const again = await d.client("start", { name: "waiter", instanceId: id });
    expect(again.error).toMatch(/409/);
    await d.client("terminate", { instanceId: id, reason: "x" });
    await d.waitFor(id);
    await d.start("sequence", 2, id);
    const status = await d.waitFor(id);
    expect(status).toMatchObject({ name: "sequence", runtimeStatus: "Completed", output: [0, 2] });
  });
});

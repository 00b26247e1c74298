import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { eventually } from "../support/eventually";
import { eventTypes, startDurableHost, type DurableHost, type InstanceStatus } from "../fixtures/durable-app/harness";

let d: DurableHost;
beforeAll(async () => {
  d = await startDurableHost(inject("storageConnectionString"));
});
afterAll(async () => {
  await d?.stop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function until(id: string, status: string): Promise<InstanceStatus> {
  return eventually(
    () => d.status(id, true),
    (current) => current.runtimeStatus === status,
    { timeoutMs: 10_000, intervalMs: 25, what: `${id} to become ${status}` },
  );
}

describe("managing durable instances through DurableClient", () => {
  it("terminates a waiting instance with the reason as output", async () => {
    const id = await d.start("waiter");
    await until(id, "Running");
    expect((await d.client("terminate", { instanceId: id, reason: "no longer needed" })).status).toBe(200);
    const status = await d.waitFor(id);
    expect(status.runtimeStatus).toBe("Terminated");
    expect(status.output).toBe("no longer needed");
    expect(eventTypes(status)).toEqual(["ExecutionStarted", "ExecutionTerminated", "ExecutionCompleted"]);
    expect((await d.client("raise", { instanceId: id, event: "go", data: 1 })).status).toBe(200);
  });

  it("holds events while suspended and delivers them on resume", async () => {
    const id = await d.start("waiter");
    await until(id, "Running");
    await d.client("suspend", { instanceId: id, reason: "maintenance" });
    await until(id, "Suspended");
    await d.client("raise", { instanceId: id, event: "go", data: 4 });
    await pause(200);
    expect((await d.status(id)).runtimeStatus).toBe("Suspended");
    await d.client("resume", { instanceId: id, reason: "done" });
    const status = await d.waitFor(id);
    expect(status.output).toBe(8);
    expect(eventTypes(status)).toEqual([
      "ExecutionStarted",
      "ExecutionSuspended",
      "ExecutionResumed",
      "EventRaised",
      "TaskScheduled",
      "TaskCompleted",
      "ExecutionCompleted",
    ]);
  });

  it("purges a finished instance so it is no longer found", async () => {
    const id = await d.start("sequence", 1);
    await d.waitFor(id);
    const purged = await d.client<{ instancesDeleted: number }>("purge", { instanceId: id });
    expect(purged.result).toEqual({ instancesDeleted: 1 });
    const after = await d.client("status", { instanceId: id });
    expect(after.status).toBe(500);
    expect(after.error).toMatch(/404/);
  });

  it("refuses to purge a running instance", async () => {
    const id = await d.start("waiter");
    await until(id, "Running");
    const reply = await d.client("purge", { instanceId: id });
    expect(reply.error).toMatch(/409.*only completed, failed or terminated/);
    await d.client("terminate", { instanceId: id, reason: "cleanup" });
  });

  it("fails a non-deterministic orchestrator with a message naming the mismatch", async () => {
    const status = await d.waitFor(await d.start("nondeterministic"));
    expect(status.runtimeStatus).toBe("Failed");
    expect(status.output).toContain('history expected activity "double" at position 0');
    expect(status.output).toContain('the orchestrator scheduled activity "describe"');
    expect(eventTypes(status)).toEqual(["ExecutionStarted", "TaskScheduled", "TaskCompleted", "ExecutionCompleted"]);
  });

  it("fails an orchestration that calls an entity, naming the unsupported call", async () => {
    const status = await d.waitFor(await d.start("entityUser"));
    expect(status.runtimeStatus).toBe("Failed");
    expect(status.output).toContain("callEntity, which this host does not support");
    expect(eventTypes(status)).toEqual(["ExecutionStarted", "ExecutionCompleted"]);
  });

  it("fails an orchestration that signals an entity instead of dropping the signal", async () => {
    const status = await d.waitFor(await d.start("entitySignaller"));
    expect(status.runtimeStatus).toBe("Failed");
    expect(status.output).toContain("signalEntity, which this host does not support");
  });

  it("answers entity and rewind client calls with 501 and a message", async () => {
    expect((await d.client("signalEntity")).error).toMatch(/501.*not supported by this local host/);
    expect((await d.client("readEntity")).error).toMatch(/501.*not supported/);
    const id = await d.start("sequence", 1);
    await d.waitFor(id);
    expect((await d.client("rewind", { instanceId: id })).error).toMatch(/not supported/);
  });
});

describe("durable webhooks on the public listener", () => {
  it("require the system key and serve status with it", async () => {
    const started = await fetch(`${d.host.origin}/api/start/sequence`, { method: "POST", body: "2" });
    expect(started.status).toBe(202);
    const links = (await started.json()) as { id: string; statusQueryGetUri: string; sendEventPostUri: string };
    expect(started.headers.get("location")).toBe(links.statusQueryGetUri);
    const statusUrl = new URL(links.statusQueryGetUri);
    expect(statusUrl.pathname).toBe(`/runtime/webhooks/durabletask/instances/${links.id}`);
    expect(statusUrl.searchParams.get("code")).toBe(d.host.masterKey);

    const withoutKey = new URL(statusUrl);
    withoutKey.searchParams.delete("code");
    expect((await fetch(withoutKey)).status).toBe(401);
    withoutKey.searchParams.set("code", d.host.functionKey);
    expect((await fetch(withoutKey)).status).toBe(401);

    await d.waitFor(links.id);
    const reply = await fetch(statusUrl);
    expect(reply.status).toBe(200);
    const body = (await reply.json()) as InstanceStatus;
    expect(body).toMatchObject({ instanceId: links.id, name: "sequence", runtimeStatus: "Completed", output: [0, 2] });
    expect(JSON.stringify(body)).not.toContain(d.host.masterKey);
  });

  it("raise events and terminate through the management URLs", async () => {
    const started = await fetch(`${d.host.origin}/api/start/waiter`, { method: "POST", body: "null" });
    const links = (await started.json()) as { id: string; sendEventPostUri: string; terminatePostUri: string };
    const raise = await fetch(links.sendEventPostUri.replace("{eventName}", "go"), {
      method: "POST",
      body: "5",
      headers: { "content-type": "application/json" },
    });
    expect(raise.status).toBe(202);
    expect((await d.waitFor(links.id)).output).toBe(10);
    const late = await fetch(links.terminatePostUri.replace("{text}", "late"), { method: "POST" });
    expect(late.status).toBe(410);
  });
});

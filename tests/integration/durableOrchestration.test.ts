import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { eventTypes, startDurableHost, type DurableHost } from "../fixtures/durable-app/harness";

let d: DurableHost;
beforeAll(async () => {
  d = await startDurableHost(inject("storageConnectionString"));
});
afterAll(async () => {
  await d?.stop();
});

describe("durable orchestrations replay through durable-functions", () => {
  it("chains activities and records each as scheduled then completed", async () => {
    const status = await d.waitFor(await d.start("sequence", 3));
    expect(status.runtimeStatus).toBe("Completed");
    expect(status.output).toEqual([0, 2, 4]);
    expect(eventTypes(status)).toEqual([
      "ExecutionStarted",
      "TaskScheduled",
      "TaskCompleted",
      "TaskScheduled",
      "TaskCompleted",
      "TaskScheduled",
      "TaskCompleted",
      "ExecutionCompleted",
    ]);
  });

  it("fans out with Task.all and scheduled all tasks in one episode", async () => {
    const status = await d.waitFor(await d.start("fanOut", 20));
    expect(status.output).toBe(380);
    const types = eventTypes(status);
    expect(types.slice(0, 21)).toEqual(["ExecutionStarted", ...Array<string>(20).fill("TaskScheduled")]);
    expect(types.filter((t) => t === "TaskCompleted")).toHaveLength(20);
    expect(types.at(-1)).toBe("ExecutionCompleted");
  });

  it("passes string, object and large (blob-stored) values through activities", async () => {
    const input = { deep: ["x"], pad: "y".repeat(200_000) };
    const id = await d.start("inputs", input);
    const status = await d.waitFor(id);
    expect(status.output).toEqual({
      text: 'got string: "hello"',
      object: 'got object: {"a":1}',
      bigLength: 400 * 1024,
      input,
    });
    const container = BlobServiceClient.fromConnectionString(inject("storageConnectionString")).getContainerClient(
      `${d.hub.toLowerCase()}-durable-payloads`,
    );
    const blobs: string[] = [];
    for await (const blob of container.listBlobsFlat({ prefix: `${id}/` })) blobs.push(blob.name);
    expect(blobs.length).toBeGreaterThanOrEqual(2);
  });

  it("waits on a durable timer, then continues", async () => {
    const status = await d.waitFor(await d.start("timer", 300));
    expect(status.output).toEqual({ waited: true, doubled: 42 });
    expect(eventTypes(status)).toEqual([
      "ExecutionStarted",
      "TimerCreated",
      "TimerFired",
      "TaskScheduled",
      "TaskCompleted",
      "ExecutionCompleted",
    ]);
  });

  it("races an external event against a timer with Task.any", async () => {
    const approved = await d.start("approval", { timeoutMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await d.client("raise", { instanceId: approved, event: "approve", data: { by: "ops" } })).status).toBe(200);
    const won = await d.waitFor(approved);
    expect(won.output).toEqual({ approved: { by: "ops" } });
    expect(eventTypes(won)).toEqual(["ExecutionStarted", "TimerCreated", "EventRaised", "ExecutionCompleted"]);

    const timedOut = await d.waitFor(await d.start("approval", { timeoutMs: 200 }));
    expect(timedOut.output).toEqual({ approved: false });
    expect(eventTypes(timedOut)).toEqual(["ExecutionStarted", "TimerCreated", "TimerFired", "ExecutionCompleted"]);
  });

  it("retries activities with RetryOptions through retry timers, and surfaces exhausted retries", async () => {
    const status = await d.waitFor(await d.start("retrying"));
    expect(status.output).toEqual({ recovered: "ok after 3", exhausted: true });
    expect(eventTypes(status)).toEqual([
      "ExecutionStarted",
      "TaskScheduled",
      "TaskFailed",
      "TimerCreated",
      "TimerFired",
      "TaskScheduled",
      "TaskFailed",
      "TimerCreated",
      "TimerFired",
      "TaskScheduled",
      "TaskCompleted",
      "TaskScheduled",
      "TaskFailed",
      "TimerCreated",
      "TimerFired",
      "TaskScheduled",
      "TaskFailed",
      "TimerCreated",
      "TimerFired",
      "ExecutionCompleted",
    ]);
  });

  it("runs sub-orchestrations, named and retried, and reports their results to the parent", async () => {
    const parentId = await d.start("parent");
    const status = await d.waitFor(parentId);
    expect(status.runtimeStatus).toBe("Completed");
    expect(status.output).toEqual({
      plain: { child: `${parentId}-named`, parent: parentId, doubled: 10 },
      retried: { child: expect.stringMatching(new RegExp(`^${parentId}:`)) as unknown, parent: parentId, doubled: 14 },
    });
    expect(eventTypes(status)).toEqual([
      "ExecutionStarted",
      "SubOrchestrationInstanceCreated",
      "SubOrchestrationInstanceCompleted",
      "SubOrchestrationInstanceCreated",
      "SubOrchestrationInstanceFailed",
      "TimerCreated",
      "TimerFired",
      "SubOrchestrationInstanceCreated",
      "SubOrchestrationInstanceCompleted",
      "ExecutionCompleted",
    ]);
    const child = await d.status(`${parentId}-named`, true);
    expect(child.runtimeStatus).toBe("Completed");
  });

  it("continues as new with a fresh history for each execution", async () => {
    const status = await d.waitFor(await d.start("counter", { n: 0, max: 4 }));
    expect(status.output).toEqual({ n: 4, last: 8 });
    expect(status.input).toEqual({ n: 4, max: 4 });
    expect(eventTypes(status)).toEqual(["ExecutionStarted", "TaskScheduled", "TaskCompleted", "ExecutionCompleted"]);
  });

  it("shows the custom status the orchestrator sets", async () => {
    const id = await d.start("statusReporter");
    let status = await d.status(id);
    for (let i = 0; i < 50 && status.customStatus === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 40));
      status = await d.status(id);
    }
    expect(status.customStatus).toEqual({ stage: "waiting" });
    await d.client("raise", { instanceId: id, event: "go", data: 7 });
    const done = await d.waitFor(id);
    expect(done.customStatus).toEqual({ stage: "done", go: 7 });
    expect(eventTypes(done)).toEqual(["ExecutionStarted", "EventRaised", "ExecutionCompleted"]);
  });
});

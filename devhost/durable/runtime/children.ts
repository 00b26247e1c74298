import { randomUUID } from "node:crypto";
import { EventType } from "../history/eventType";
import { historyEvent, type HistoryEvent } from "../history/historyEvent";
import type { DurableStore } from "../store/durableStore";
import type { Engine } from "./engine";
import { isTerminal, type InstanceMeta, type ParentRef } from "./instanceMeta";
import { childOutcome, executionStarted } from "./lifecycleEvents";

function sameParent(a: ParentRef | undefined, b: ParentRef): boolean {
  return a !== undefined && a.instanceId === b.instanceId && a.executionId === b.executionId && a.taskId === b.taskId;
}

/**
 * Starts the child a parent scheduled. Called again for open children after a restart:
 * a child that already exists for this parent is left to run, or reports its outcome again.
 */
export async function startChild(
  store: DurableStore,
  engine: Engine,
  parent: InstanceMeta,
  created: HistoryEvent,
): Promise<void> {
  const ref: ParentRef = { instanceId: parent.instanceId, executionId: parent.executionId, taskId: created.EventId };
  const now = new Date().toISOString();
  const meta: InstanceMeta = {
    instanceId: created.InstanceId ?? "",
    name: created.Name ?? "",
    executionId: randomUUID(),
    status: "Pending",
    input: created.Input ?? null,
    output: null,
    customStatus: null,
    createdTime: now,
    lastUpdatedTime: now,
    parent: ref,
    episodes: 0,
  };
  const report = (event: HistoryEvent) => engine.deliver(parent.instanceId, { event }, parent.executionId);
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await store.createInstance(meta)) {
      engine.admit(meta, [], [{ event: executionStarted(meta) }]);
      return;
    }
    const existing = await store.readInstance(meta.instanceId);
    if (existing && sameParent(existing.parent, ref)) {
      if (isTerminal(existing.status)) report(childOutcome(existing, ref.taskId));
      return;
    }
    if (existing && !isTerminal(existing.status)) break;
    await store.purge(meta.instanceId);
    engine.forget(meta.instanceId);
  }
  report(
    historyEvent(EventType.SubOrchestrationInstanceFailed, {
      TaskScheduledId: ref.taskId,
      Reason: `Sub-orchestration instance '${meta.instanceId}' is already running`,
      Details: "",
    }),
  );
}

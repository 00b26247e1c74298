import { EventType } from "../history/eventType";
import { historyEvent, type HistoryEvent } from "../history/historyEvent";
import type { Leaf } from "./actions";
import { maximumTimerMs } from "./payload";
import type { Schedule } from "./schedule";

/** What the host runs: used to refuse unknown functions loudly when they are scheduled. */
export interface FunctionCatalog {
  isActivity(name: string): boolean;
  isOrchestrator(name: string): boolean;
}

/** The id the Durable Task Framework gives a sub-orchestration the orchestrator did not name. */
export function childInstanceId(parentId: string, taskId: number): string {
  return `${parentId}:${taskId.toString(16).toUpperCase().padStart(4, "0")}`;
}

function jsonText(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Turns one newly scheduled task into its history event, or explains why it can't run here. */
export function schedulingEvent(
  leaf: Leaf,
  id: number,
  instanceId: string,
  catalog: FunctionCatalog,
  now: Date,
): HistoryEvent | string {
  switch (leaf.kind) {
    case "unsupported":
      return (
        `The orchestrator called ${leaf.what}, which this host does not support ` +
        "(durable entities and durable HTTP are not available locally)."
      );
    case "activity":
      if (!catalog.isActivity(leaf.name))
        return `The orchestrator called activity "${leaf.name}", which is not a registered activity function.`;
      return historyEvent(
        EventType.TaskScheduled,
        { Name: leaf.name, Input: jsonText(leaf.input), EngineRetry: leaf.retry },
        id,
        now,
      );
    case "subOrchestration":
      if (!catalog.isOrchestrator(leaf.name))
        return (
          `The orchestrator called sub-orchestration "${leaf.name}", ` +
          "which is not a registered orchestrator function."
        );
      return historyEvent(
        EventType.SubOrchestrationInstanceCreated,
        {
          Name: leaf.name,
          InstanceId: leaf.instanceId ?? childInstanceId(instanceId, id),
          Input: jsonText(leaf.input),
          EngineRetry: leaf.retry,
        },
        id,
        now,
      );
    case "timer": {
      const fireAt = Date.parse(leaf.fireAt);
      if (!Number.isFinite(fireAt) || fireAt - now.getTime() > maximumTimerMs)
        return `The orchestrator created a timer for ${leaf.fireAt}, beyond what this host supports.`;
      return historyEvent(EventType.TimerCreated, { FireAt: leaf.fireAt }, id, now);
    }
  }
}

/**
 * Retries are the extension's job in schema V3: after a failed attempt it starts a retry
 * timer, and when that fires, the next attempt. Each takes the next task id, exactly when
 * `durable-functions` hands the same id to its placeholder task.
 */
export function retryEvent(
  schedule: Schedule,
  delivered: HistoryEvent,
  instanceId: string,
  now: Date,
): HistoryEvent | undefined {
  const failed = schedule.retryAfterFailure(delivered);
  if (failed) {
    const fireAt = new Date(now.getTime() + failed.delayMs).toISOString();
    return historyEvent(
      EventType.TimerCreated,
      { FireAt: fireAt, EngineDynamic: true, EngineRetryOf: failed.staticId },
      schedule.nextId,
      now,
    );
  }
  const again = schedule.retryAfterTimer(delivered);
  if (!again) return undefined;
  const id = schedule.nextId;
  const original = again.original;
  const common = { Name: original.Name, Input: original.Input, EngineDynamic: true, EngineRetryOf: again.staticId };
  if (original.EventType === EventType.TaskScheduled) return historyEvent(EventType.TaskScheduled, common, id, now);
  const named = original.InstanceId !== childInstanceId(instanceId, again.staticId);
  return historyEvent(
    EventType.SubOrchestrationInstanceCreated,
    { ...common, InstanceId: named ? original.InstanceId : childInstanceId(instanceId, id) },
    id,
    now,
  );
}

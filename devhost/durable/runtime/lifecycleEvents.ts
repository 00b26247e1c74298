import { EventType } from "../history/eventType";
import { historyEvent, type HistoryEvent } from "../history/historyEvent";
import type { InstanceMeta } from "./instanceMeta";

/** The first event of an execution, made from its instance row (so a start needs no other record). */
export function executionStarted(meta: InstanceMeta): HistoryEvent {
  return historyEvent(EventType.ExecutionStarted, {
    Name: meta.name,
    Input: meta.input,
    ParentInstanceId: meta.parent?.instanceId,
  });
}

/** How a finished child reports to its parent orchestration. */
export function childOutcome(child: InstanceMeta, taskId: number): HistoryEvent {
  if (child.status === "Completed") {
    return historyEvent(EventType.SubOrchestrationInstanceCompleted, { TaskScheduledId: taskId, Result: child.output });
  }
  const detail = child.output === null ? "" : String(JSON.parse(child.output));
  return historyEvent(EventType.SubOrchestrationInstanceFailed, {
    TaskScheduledId: taskId,
    Reason:
      `Sub-orchestration '${child.name}' (instance '${child.instanceId}') ` +
      `${child.status === "Terminated" ? "was terminated" : "failed"}`,
    Details: detail,
  });
}

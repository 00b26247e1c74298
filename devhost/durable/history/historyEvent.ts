import { EventType } from "./eventType";

/** Retry policy as `durable-functions` serializes `RetryOptions` into an action. */
export interface RetryPolicy {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

/**
 * One history event in the Durable Task Framework JSON shape. `Input` and `Result` hold
 * JSON text. Fields starting with `Engine` are this host's bookkeeping, never sent to the app.
 */
export interface HistoryEvent {
  EventType: EventType;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  Name?: string;
  Input?: string | null;
  Result?: string | null;
  TaskScheduledId?: number;
  TimerId?: number;
  FireAt?: string;
  InstanceId?: string;
  Reason?: string;
  Details?: string;
  OrchestrationStatus?: string;
  ParentInstanceId?: string;
  /** The retry policy of a task the orchestrator scheduled with retry. */
  EngineRetry?: RetryPolicy;
  /** Set on events this host added on its own (retry timers and retry attempts). */
  EngineDynamic?: boolean;
  /** On dynamic events: the id of the task the orchestrator scheduled with retry. */
  EngineRetryOf?: number;
}

export type EventFields = Omit<HistoryEvent, "EventType" | "EventId" | "IsPlayed" | "Timestamp">;

export function historyEvent(type: EventType, fields: EventFields = {}, eventId = -1, at = new Date()): HistoryEvent {
  return { EventType: type, EventId: eventId, IsPlayed: false, Timestamp: at.toISOString(), ...fields };
}

/** The event as the app sees it: engine bookkeeping removed. */
export function toWire(
  event: HistoryEvent,
  played: boolean,
): Omit<HistoryEvent, "EngineRetry" | "EngineDynamic" | "EngineRetryOf"> {
  const { EngineRetry: _retry, EngineDynamic: _dynamic, EngineRetryOf: _of, ...wire } = event;
  return { ...wire, IsPlayed: played };
}

/** Completion events name the task they complete by `TaskScheduledId` or `TimerId`. */
export function completedTaskId(event: HistoryEvent): number | undefined {
  switch (event.EventType) {
    case EventType.TaskCompleted:
    case EventType.TaskFailed:
    case EventType.SubOrchestrationInstanceCompleted:
    case EventType.SubOrchestrationInstanceFailed:
      return event.TaskScheduledId;
    case EventType.TimerFired:
      return event.TimerId;
    default:
      return undefined;
  }
}

export function isScheduling(event: HistoryEvent): boolean {
  return (
    event.EventType === EventType.TaskScheduled ||
    event.EventType === EventType.TimerCreated ||
    event.EventType === EventType.SubOrchestrationInstanceCreated
  );
}

import { EventType } from "../history/eventType";
import { completedTaskId, isScheduling, type HistoryEvent, type RetryPolicy } from "../history/historyEvent";

export type TaskKind = "activity" | "timer" | "subOrchestration";

export interface ScheduledTask {
  id: number;
  kind: TaskKind;
  name: string;
  event: HistoryEvent;
}

interface RetryTracker {
  staticId: number;
  policy: RetryPolicy;
  failures: number;
}

export function kindOf(event: HistoryEvent): TaskKind {
  if (event.EventType === EventType.TimerCreated) return "timer";
  return event.EventType === EventType.TaskScheduled ? "activity" : "subOrchestration";
}

/**
 * The task ids an orchestration has handed out, folded from its history in order: which
 * the orchestrator code scheduled (to check replay against), which this host added for
 * retries, and which are still open. It mirrors how `durable-functions` numbers tasks.
 */
export class Schedule {
  readonly fromCode: ScheduledTask[] = [];
  readonly open = new Map<number, ScheduledTask>();
  nextId = 0;
  private readonly trackers = new Map<number, RetryTracker>();
  private readonly attemptOf = new Map<number, number>();
  private readonly retryTimerOf = new Map<number, number>();

  apply(event: HistoryEvent): void {
    if (isScheduling(event)) return this.scheduled(event);
    const id = completedTaskId(event);
    if (id === undefined) return;
    this.open.delete(id);
    const staticId = this.attemptOf.get(id);
    const tracker = staticId === undefined ? undefined : this.trackers.get(staticId);
    if (
      tracker &&
      (event.EventType === EventType.TaskFailed || event.EventType === EventType.SubOrchestrationInstanceFailed)
    ) {
      tracker.failures++;
    }
  }

  private scheduled(event: HistoryEvent): void {
    const task: ScheduledTask = { id: event.EventId, kind: kindOf(event), name: event.Name ?? "", event };
    this.nextId = Math.max(this.nextId, event.EventId + 1);
    this.open.set(task.id, task);
    const staticId = event.EngineDynamic ? event.EngineRetryOf : undefined;
    if (staticId !== undefined && task.kind === "timer") this.retryTimerOf.set(task.id, staticId);
    else if (staticId !== undefined) this.attemptOf.set(task.id, staticId);
    else {
      this.fromCode.push(task);
      if (event.EngineRetry) {
        this.trackers.set(task.id, { staticId: task.id, policy: event.EngineRetry, failures: 0 });
        this.attemptOf.set(task.id, task.id);
      }
    }
  }

  /** A failed attempt of a task with retry: the library now waits on a retry timer. */
  retryAfterFailure(event: HistoryEvent): { staticId: number; delayMs: number } | undefined {
    if (event.EventType !== EventType.TaskFailed && event.EventType !== EventType.SubOrchestrationInstanceFailed)
      return undefined;
    const staticId = this.attemptOf.get(event.TaskScheduledId ?? -1);
    const tracker = staticId === undefined ? undefined : this.trackers.get(staticId);
    if (!tracker) return undefined;
    return { staticId: tracker.staticId, delayMs: retryDelay(tracker.policy, tracker.failures) };
  }

  /** A retry timer fired: another attempt follows unless the attempts are used up. */
  retryAfterTimer(event: HistoryEvent): { staticId: number; original: HistoryEvent } | undefined {
    if (event.EventType !== EventType.TimerFired) return undefined;
    const staticId = this.retryTimerOf.get(event.TimerId ?? -1);
    const tracker = staticId === undefined ? undefined : this.trackers.get(staticId);
    if (!tracker || tracker.failures >= tracker.policy.maxNumberOfAttempts) return undefined;
    const original = this.fromCode.find((t) => t.id === tracker.staticId);
    return original ? { staticId: tracker.staticId, original: original.event } : undefined;
  }

  /** Events that make the library hand out a task id must be replayed before all others. */
  allocates(event: HistoryEvent): boolean {
    return this.retryAfterFailure(event) !== undefined || this.retryAfterTimer(event) !== undefined;
  }
}

export function retryDelay(policy: RetryPolicy, failures: number): number {
  const backoff = policy.backoffCoefficient && policy.backoffCoefficient > 0 ? policy.backoffCoefficient : 1;
  const delay = policy.firstRetryIntervalInMilliseconds * Math.pow(backoff, Math.max(0, failures - 1));
  const max = policy.maxRetryIntervalInMilliseconds;
  return max && max > 0 ? Math.min(delay, max) : delay;
}

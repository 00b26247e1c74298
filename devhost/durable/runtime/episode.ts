import { randomUUID } from "node:crypto";
import { EventType } from "../history/eventType";
import { historyEvent, type HistoryEvent } from "../history/historyEvent";
import { summarizeActions } from "../orchestration/actions";
import type { Execution } from "../orchestration/orchestratorResult";
import { orchestratorPayload } from "../orchestration/payload";
import { checkReplay } from "../orchestration/replayCheck";
import { retryEvent, schedulingEvent, type FunctionCatalog } from "../orchestration/scheduling";
import type { Instance, PendingMessage } from "./instance";
import type { InstanceMeta, RuntimeStatus } from "./instanceMeta";

export interface EpisodeDeps extends FunctionCatalog {
  invokeOrchestrator(name: string, payload: string): Promise<Execution>;
}

/** What one episode decided; nothing is applied to the instance until it is committed. */
export interface Episode {
  events: HistoryEvent[];
  meta: InstanceMeta;
  consumed: string[];
  /** The history row's content: `{"events":[...]}`. */
  eventsJson: string;
  /** Set when the orchestrator continued as new: the next execution starts from `meta`. */
  continuedAsNew: boolean;
}

const appVisible = new Set([
  EventType.ExecutionStarted,
  EventType.TaskCompleted,
  EventType.TaskFailed,
  EventType.TimerFired,
  EventType.EventRaised,
  EventType.SubOrchestrationInstanceCompleted,
  EventType.SubOrchestrationInstanceFailed,
]);

type Ending = { status: RuntimeStatus; output: string | null; customStatus: string | null; continueAsNew?: string };

/** Events that hand out task ids go first, so ids match the library's (see schedule.ts). */
function replayOrder(instance: Instance, taken: PendingMessage[]): HistoryEvent[] {
  const events = taken.map((m) => m.event);
  const first = events.filter((e) => instance.schedule.allocates(e));
  return [...first, ...events.filter((e) => !first.includes(e))];
}

/** Runs the orchestrator once over its history plus the taken messages, and decides what follows. */
export async function runEpisode(instance: Instance, taken: PendingMessage[], deps: EpisodeDeps): Promise<Episode> {
  const now = new Date();
  const meta = instance.meta;
  const events: HistoryEvent[] = [historyEvent(EventType.OrchestratorStarted, {}, -1, now)];
  const schedule = instance.schedule;
  let status = meta.status === "Pending" ? "Running" : meta.status;
  let terminated: HistoryEvent | undefined;
  for (const event of replayOrder(instance, taken)) {
    events.push(event);
    schedule.apply(event);
    const dynamic = retryEvent(schedule, event, meta.instanceId, now);
    if (dynamic) {
      events.push(dynamic);
      schedule.apply(dynamic);
    }
    if (event.EventType === EventType.ExecutionSuspended) status = "Suspended";
    if (event.EventType === EventType.ExecutionResumed) status = "Running";
    if (event.EventType === EventType.ExecutionTerminated) terminated = event;
  }
  let ending: Ending = { status, output: meta.output, customStatus: meta.customStatus };
  if (terminated) ending = { status: "Terminated", output: terminated.Input ?? null, customStatus: meta.customStatus };
  else if (status !== "Suspended" && events.some((e) => appVisible.has(e.EventType))) {
    const payload = orchestratorPayload({
      history: instance.wireHistory(events),
      input: meta.input,
      instanceId: meta.instanceId,
      isReplaying: instance.history.length > 0,
      parentInstanceId: meta.parent?.instanceId,
    });
    ending = decide(instance, await deps.invokeOrchestrator(meta.name, payload), events, deps, now);
  }
  events.push(historyEvent(EventType.OrchestratorCompleted, {}, -1, now));
  return finish(instance, taken, events, ending, now);
}

function finish(
  instance: Instance,
  taken: PendingMessage[],
  events: HistoryEvent[],
  ending: Ending,
  now: Date,
): Episode {
  const consumed = taken.flatMap((m) => (m.inboxKey ? [m.inboxKey] : []));
  const base = { ...instance.meta, lastUpdatedTime: now.toISOString(), customStatus: ending.customStatus };
  if (ending.continueAsNew !== undefined) {
    const meta: InstanceMeta = {
      ...base,
      executionId: randomUUID(),
      status: "Running",
      input: ending.continueAsNew,
      output: null,
      episodes: 0,
    };
    return { events, meta, consumed, eventsJson: "", continuedAsNew: true };
  }
  if (ending.status === "Completed" || ending.status === "Failed" || ending.status === "Terminated") {
    events.push(
      historyEvent(
        EventType.ExecutionCompleted,
        { OrchestrationStatus: ending.status, Result: ending.output },
        -1,
        now,
      ),
    );
  }
  const meta: InstanceMeta = {
    ...base,
    status: ending.status,
    output: ending.output,
    episodes: instance.meta.episodes + 1,
  };
  return { events, meta, consumed, eventsJson: JSON.stringify({ events }), continuedAsNew: false };
}

function failed(message: string, customStatus: string | null): Ending {
  return { status: "Failed", output: JSON.stringify(message), customStatus };
}

/** Interprets the orchestrator's state: checks replay, schedules new tasks, finds the ending. */
function decide(
  instance: Instance,
  execution: Execution,
  events: HistoryEvent[],
  catalog: FunctionCatalog,
  now: Date,
): Ending {
  const state = execution.state;
  const customStatus =
    state?.customStatus === undefined || state.customStatus === null ? null : JSON.stringify(state.customStatus);
  const name = instance.meta.name;
  let summary;
  try {
    summary = summarizeActions(state?.actions);
  } catch (error) {
    return failed(
      `Orchestrator function '${name}' returned actions this host cannot read: ${String(error)}`,
      customStatus,
    );
  }
  const finished = execution.kind === "ran" && state?.isDone === true;
  const check = checkReplay(name, instance.schedule.fromCode, summary.leaves, finished);
  if (!check.ok) return failed(check.message, customStatus);
  // Checked first: a fire-and-forget signalEntity before returning must not vanish silently.
  const unsupported = check.fresh.find((leaf) => leaf.kind === "unsupported");
  if (unsupported)
    return failed(
      `Orchestrator function '${name}' failed: ${String(schedulingEvent(unsupported, -1, "", catalog, now))}`,
      customStatus,
    );
  if (execution.kind === "threw")
    return failed(`Orchestrator function '${name}' failed: ${execution.message}`, customStatus);
  if (finished) {
    if (summary.continueAsNew)
      return {
        status: "Running",
        output: null,
        customStatus,
        continueAsNew: JSON.stringify(summary.continueAsNew.input ?? null),
      };
    return { status: "Completed", output: JSON.stringify(state?.output ?? null), customStatus };
  }
  // New tasks are recorded only for an orchestration that goes on waiting for them.
  for (const leaf of check.fresh) {
    const event = schedulingEvent(leaf, instance.schedule.nextId, instance.meta.instanceId, catalog, now);
    if (typeof event === "string") return failed(`Orchestrator function '${name}' failed: ${event}`, customStatus);
    events.push(event);
    instance.schedule.apply(event);
  }
  return { status: "Running", output: null, customStatus };
}

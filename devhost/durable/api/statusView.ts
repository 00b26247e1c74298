import { EventType } from "../history/eventType";
import type { HistoryEvent } from "../history/historyEvent";
import type { InstanceMeta } from "../runtime/instanceMeta";

export interface StatusOptions {
  showHistory: boolean;
  showHistoryOutput: boolean;
  showInput: boolean;
}

function parsed(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

const hidden = new Set([EventType.OrchestratorStarted, EventType.OrchestratorCompleted]);

/** A history event as status queries show it: type names, payloads only when asked for. */
function eventView(event: HistoryEvent, withOutput: boolean): Record<string, unknown> {
  const { EngineRetry: _r, EngineDynamic: _d, EngineRetryOf: _o, IsPlayed: _p, Input, Result, ...rest } = event;
  const view: Record<string, unknown> = { ...rest, EventType: EventType[event.EventType] };
  if (withOutput && Input !== undefined) view.Input = parsed(Input ?? null);
  if (withOutput && Result !== undefined) view.Result = parsed(Result ?? null);
  return view;
}

/** The status document the extension returns (and `DurableOrchestrationStatus` reads). */
export function statusView(
  meta: InstanceMeta,
  options: StatusOptions,
  history?: readonly HistoryEvent[],
): Record<string, unknown> {
  const view: Record<string, unknown> = {
    name: meta.name,
    instanceId: meta.instanceId,
    runtimeStatus: meta.status,
    input: options.showInput ? parsed(meta.input) : null,
    customStatus: parsed(meta.customStatus),
    output: parsed(meta.output),
    createdTime: meta.createdTime,
    lastUpdatedTime: meta.lastUpdatedTime,
  };
  if (options.showHistory && history) {
    const events = history.filter((e) => !hidden.has(e.EventType)).map((e) => eventView(e, options.showHistoryOutput));
    // The extension names it historyEvents; durable-functions reads history. Both, then.
    view.historyEvents = events;
    view.history = events;
  }
  return view;
}

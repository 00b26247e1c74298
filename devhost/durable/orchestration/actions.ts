import type { RetryPolicy } from "../history/historyEvent";

/** Action types as `durable-functions` numbers them. */
const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;

/** An action that takes a sequence number (a task id) in the orchestrator. */
export type Leaf =
  | { kind: "activity"; name: string; input: unknown; retry?: RetryPolicy }
  | { kind: "timer"; fireAt: string; canceled: boolean }
  | { kind: "subOrchestration"; name: string; instanceId?: string; input: unknown; retry?: RetryPolicy }
  | { kind: "unsupported"; what: string };

export interface ActionSummary {
  leaves: Leaf[];
  /** Present when the orchestrator called `continueAsNew`; holds the new input as a value. */
  continueAsNew?: { input: unknown };
}

type Raw = Record<string, unknown>;

const unsupportedNames: Record<number, string> = {
  [ActionType.CallEntity]: "callEntity",
  [ActionType.SignalEntity]: "signalEntity",
  [ActionType.LockEntities]: "lock (entities)",
  [ActionType.ReleaseEntities]: "lock release (entities)",
  [ActionType.CallHttp]: "callHttp",
};

/** `durable-functions` pre-serializes string inputs of activities and continueAsNew as JSON text. */
function processedInput(value: unknown): unknown {
  return typeof value === "string" ? JSON.parse(value) : value;
}

function retryOf(raw: Raw): RetryPolicy {
  const options = raw.retryOptions as RetryPolicy | undefined;
  if (
    !options ||
    typeof options.firstRetryIntervalInMilliseconds !== "number" ||
    typeof options.maxNumberOfAttempts !== "number"
  ) {
    throw new Error("A retry action carries no valid retryOptions.");
  }
  return options;
}

function optionalId(raw: Raw): string | undefined {
  return typeof raw.instanceId === "string" && raw.instanceId !== "" ? raw.instanceId : undefined;
}

function visit(raw: Raw, summary: ActionSummary): void {
  const type = raw.actionType;
  const name = String(raw.functionName ?? "");
  switch (type) {
    case ActionType.CallActivity:
      return void summary.leaves.push({ kind: "activity", name, input: processedInput(raw.input) });
    case ActionType.CallActivityWithRetry:
      return void summary.leaves.push({
        kind: "activity",
        name,
        input: processedInput(raw.input),
        retry: retryOf(raw),
      });
    case ActionType.CallSubOrchestrator:
      return void summary.leaves.push({
        kind: "subOrchestration",
        name,
        instanceId: optionalId(raw),
        input: raw.input,
      });
    case ActionType.CallSubOrchestratorWithRetry:
      return void summary.leaves.push({
        kind: "subOrchestration",
        name,
        instanceId: optionalId(raw),
        input: raw.input,
        retry: retryOf(raw),
      });
    case ActionType.CreateTimer:
      return void summary.leaves.push({ kind: "timer", fireAt: String(raw.fireAt), canceled: raw.isCanceled === true });
    case ActionType.WaitForExternalEvent:
      return;
    case ActionType.ContinueAsNew:
      summary.continueAsNew = { input: processedInput(raw.input) };
      return;
    case ActionType.WhenAll:
    case ActionType.WhenAny:
      for (const child of (raw.compoundActions as Raw[] | undefined) ?? []) visit(child, summary);
      return;
    default:
      summary.leaves.push({
        kind: "unsupported",
        what: unsupportedNames[Number(type)] ?? `action type ${String(type)}`,
      });
  }
}

/** Flattens V3 actions depth-first: the order in which the library hands out task ids. */
export function summarizeActions(actions: unknown): ActionSummary {
  const summary: ActionSummary = { leaves: [] };
  const groups = Array.isArray(actions) ? actions : [];
  for (const group of groups) {
    for (const action of Array.isArray(group) ? group : [group]) visit(action as Raw, summary);
  }
  return summary;
}

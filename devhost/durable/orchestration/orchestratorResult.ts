import type { RpcInvocationResponse, RpcTypedData } from "../../core/contract";

/** What `durable-functions` returns from an orchestrator execution (OrchestratorState). */
export interface OrchestratorState {
  isDone: boolean;
  actions: unknown;
  output?: unknown;
  error?: string;
  customStatus?: unknown;
}

export type Execution =
  { kind: "ran"; state: OrchestratorState } | { kind: "threw"; message: string; state?: OrchestratorState };

const outOfProcLabel = "$OutOfProcData$:";

function typedJson(data: RpcTypedData | null | undefined): unknown {
  if (!data) return undefined;
  if (typeof data.json === "string") return JSON.parse(data.json);
  if (typeof data.string === "string") return JSON.parse(data.string);
  return undefined;
}

function isState(value: unknown): value is OrchestratorState {
  return typeof value === "object" && value !== null && typeof (value as OrchestratorState).isDone === "boolean";
}

export function executionFromResponse(response: RpcInvocationResponse): Execution {
  const value = typedJson(response.returnValue);
  if (isState(value)) return { kind: "ran", state: value };
  return {
    kind: "threw",
    message: "The orchestrator function returned no orchestration state (is it registered with df.app.orchestration?).",
  };
}

/** The library reports a failed orchestrator as an error whose message carries the state after a label. */
export function executionFromError(error: unknown): Execution {
  const text = error instanceof Error ? error.message : String(error);
  const at = text.indexOf(outOfProcLabel);
  if (at < 0) return { kind: "threw", message: text };
  try {
    const state: unknown = JSON.parse(text.slice(at + outOfProcLabel.length));
    if (isState(state)) return { kind: "threw", message: state.error ?? text.slice(0, at).trim(), state };
  } catch {
    // fall through: report the text as it is
  }
  return { kind: "threw", message: text.slice(0, at).trim() };
}

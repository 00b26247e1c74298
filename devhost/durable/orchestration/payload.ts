/** What the extension hands an orchestrator function (out-of-proc protocol, replay schema V3). */
export interface PayloadParts {
  /** Each history event already serialized, in order. */
  history: readonly string[];
  /** The orchestration input as JSON text. */
  input: string | null;
  instanceId: string;
  isReplaying: boolean;
  parentInstanceId: string | undefined;
}

const replaySchemaV3 = 2;
// This store has no timer length limit, so no timer is ever split into long-timer intervals.
const maximumShortTimerDuration = "3650.00:00:00";
const longRunningTimerIntervalDuration = "3.00:00:00";
const defaultHttpAsyncRequestSleepTimeMillseconds = 30_000;

/** Builds the payload JSON by joining cached event JSON: replay cost stays linear and small. */
export function orchestratorPayload(parts: PayloadParts): string {
  return (
    `{"history":[${parts.history.join(",")}],"input":${parts.input ?? "null"}` +
    `,"instanceId":${JSON.stringify(parts.instanceId)},"isReplaying":${parts.isReplaying}` +
    `,"parentInstanceId":${JSON.stringify(parts.parentInstanceId ?? null)}` +
    `,"upperSchemaVersion":${replaySchemaV3}` +
    `,"longRunningTimerIntervalDuration":"${longRunningTimerIntervalDuration}"` +
    `,"maximumShortTimerDuration":"${maximumShortTimerDuration}"` +
    `,"defaultHttpAsyncRequestSleepTimeMillseconds":${defaultHttpAsyncRequestSleepTimeMillseconds}}`
  );
}

/** Timers further out than this would need long-timer splitting, which this host does not do. */
export const maximumTimerMs = 3650 * 24 * 3600 * 1000;

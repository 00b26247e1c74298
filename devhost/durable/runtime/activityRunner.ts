import type { RpcTypedData } from "../../core/contract";
import type { Invoker } from "../../core/invoke";
import { EventType } from "../history/eventType";
import { historyEvent, type HistoryEvent } from "../history/historyEvent";
import { Semaphore } from "./semaphore";

/** The activity's return value as JSON text, as TaskCompleted carries it. */
function resultText(data: RpcTypedData | null | undefined): string | null {
  if (!data) return null;
  if (typeof data.json === "string") return data.json;
  if (typeof data.string === "string") return JSON.stringify(data.string);
  if (typeof data.int === "number") return String(data.int);
  if (typeof data.double === "number") return String(data.double);
  if (data.bytes) return JSON.stringify(Buffer.from(data.bytes).toString("base64"));
  return null;
}

/** Runs activities, at most `limit` at once, and reports each outcome as a history event. */
export class ActivityRunner {
  private readonly slots: Semaphore;

  constructor(
    private readonly invoker: Invoker,
    limit: number,
  ) {
    this.slots = new Semaphore(limit);
  }

  run(scheduled: HistoryEvent, report: (event: HistoryEvent) => void): void {
    void this.slots.run(async () => report(await this.invoke(scheduled)));
  }

  private async invoke(scheduled: HistoryEvent): Promise<HistoryEvent> {
    const name = scheduled.Name ?? "";
    try {
      const response = await this.invoker.invoke({ functionName: name, trigger: { json: scheduled.Input ?? "null" } });
      return historyEvent(EventType.TaskCompleted, {
        TaskScheduledId: scheduled.EventId,
        Result: resultText(response.returnValue),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const details = error instanceof Error ? (error.stack ?? message) : message;
      return historyEvent(EventType.TaskFailed, {
        TaskScheduledId: scheduled.EventId,
        Reason: `Activity function '${name}' failed: ${message}`,
        Details: details,
      });
    }
  }

  idle(): Promise<void> {
    return this.slots.idle();
  }
}

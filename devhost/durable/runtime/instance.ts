import { EventType } from "../history/eventType";
import { toWire, type HistoryEvent } from "../history/historyEvent";
import { Schedule } from "../orchestration/schedule";
import type { EpisodeLog } from "./episodeLog";
import type { InstanceMeta } from "./instanceMeta";

/** A message waiting for the next episode; `inboxKey` names its durable inbox row, if any. */
export interface PendingMessage {
  event: HistoryEvent;
  inboxKey?: string;
}

/** One orchestration instance held in memory while it is not finished: its history is never re-read. */
export class Instance {
  history: HistoryEvent[] = [];
  schedule = new Schedule();
  pending: PendingMessage[] = [];
  /** True while an episode runs; episodes of one instance never overlap. */
  busy = false;
  private playedJson: string[] = [];

  constructor(
    public meta: InstanceMeta,
    readonly log: EpisodeLog,
  ) {}

  /** Adds loaded history: records it and folds it into the schedule. */
  append(events: readonly HistoryEvent[]): void {
    this.record(events);
    for (const event of events) this.schedule.apply(event);
  }

  /** Adds a committed episode, whose events the episode already folded into the schedule. */
  record(events: readonly HistoryEvent[]): void {
    for (const event of events) {
      this.history.push(event);
      this.playedJson.push(JSON.stringify(toWire(event, true)));
    }
  }

  /** History as the orchestrator gets it: earlier episodes played, the new one not. */
  wireHistory(fresh: readonly HistoryEvent[]): string[] {
    return [...this.playedJson, ...fresh.map((e) => JSON.stringify(toWire(e, false)))];
  }

  /** Starts over for `continueAsNew`: a new execution with an empty history. */
  restart(meta: InstanceMeta): void {
    this.meta = meta;
    this.history = [];
    this.playedJson = [];
    this.schedule = new Schedule();
  }

  hasDeliverable(): boolean {
    if (this.meta.status !== "Suspended") return this.pending.length > 0;
    return this.pending.some(
      (m) => m.event.EventType === EventType.ExecutionResumed || m.event.EventType === EventType.ExecutionTerminated,
    );
  }

  /**
   * Takes what the next episode delivers. A suspended instance takes only resume or terminate;
   * suspend is taken alone (so what came before it reaches the orchestrator first); terminate
   * ends a batch. At most `maxInbox` inbox rows, so one table batch can commit the episode.
   */
  take(maxInbox: number): PendingMessage[] {
    if (this.meta.status === "Suspended") {
      const at = this.pending.findIndex(
        (m) => m.event.EventType === EventType.ExecutionResumed || m.event.EventType === EventType.ExecutionTerminated,
      );
      return at < 0 ? [] : this.pending.splice(at, 1);
    }
    let count = 0;
    let inbox = 0;
    for (const message of this.pending) {
      const type = message.event.EventType;
      if (type === EventType.ExecutionSuspended && count > 0) break;
      if (message.inboxKey && ++inbox > maxInbox) break;
      count++;
      if (type === EventType.ExecutionSuspended || type === EventType.ExecutionTerminated) break;
    }
    return this.pending.splice(0, count);
  }
}

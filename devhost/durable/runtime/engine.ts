import type { Invoker } from "../../core/invoke";
import { log } from "../../log";
import { EventType } from "../history/eventType";
import { completedTaskId, historyEvent, isScheduling, type HistoryEvent } from "../history/historyEvent";
import { executionFromError, executionFromResponse, type Execution } from "../orchestration/orchestratorResult";
import type { FunctionCatalog } from "../orchestration/scheduling";
import type { DurableStore } from "../store/durableStore";
import { historyRowKey } from "../store/layout";
import { ActivityRunner } from "./activityRunner";
import { runEpisode, type Episode } from "./episode";
import { EpisodeLog } from "./episodeLog";
import { Instance, type PendingMessage } from "./instance";
import { isTerminal, type InstanceMeta } from "./instanceMeta";
import { childOutcome, executionStarted } from "./lifecycleEvents";
import { TimerWheel } from "./timerWheel";

export interface EngineOptions {
  store: DurableStore;
  invoker: Invoker;
  catalog: FunctionCatalog;
  maxConcurrentActivities: number;
  maxConcurrentOrchestrations: number;
  /** Starts a sub-orchestration the parent scheduled (see children.ts). */
  startChild(parent: InstanceMeta, created: HistoryEvent): Promise<void>;
  /** Reloads from storage an instance dropped after a failed episode or commit (see recovery.ts). */
  reload(instanceId: string): void;
}

// One table batch holds 100 operations: the history row, the instance row, and these deletions.
const maxInboxPerEpisode = 98;

/**
 * Drives instances held in memory: work is woken the moment it is enqueued, episodes of
 * different instances run concurrently, each instance's episodes run one after another.
 */
export class Engine {
  private readonly instances = new Map<string, Instance>();
  private readonly ready: Instance[] = [];
  private running = 0;
  private stopping = false;
  private readonly drained: (() => void)[] = [];
  readonly activities: ActivityRunner;
  readonly timers = new TimerWheel();

  constructor(private readonly options: EngineOptions) {
    this.activities = new ActivityRunner(options.invoker, options.maxConcurrentActivities);
  }

  get(instanceId: string): Instance | undefined {
    return this.instances.get(instanceId);
  }

  /** Takes an instance into memory and re-dispatches its open tasks (after a start or a restart). */
  admit(meta: InstanceMeta, history: HistoryEvent[], pending: PendingMessage[]): Instance {
    const loaded = this.instances.get(meta.instanceId);
    if (loaded) return loaded;
    const instance = new Instance(meta, new EpisodeLog((group) => this.options.store.commitEpisodes(group)));
    instance.append(history);
    instance.pending.push(...pending);
    this.instances.set(meta.instanceId, instance);
    for (const task of instance.schedule.open.values()) this.dispatch(instance, task.event);
    this.wake(instance);
    return instance;
  }

  forget(instanceId: string): void {
    this.instances.delete(instanceId);
    this.timers.cancel(instanceId);
  }

  /** Hands a message to a live instance; false when it is not in memory (or in another execution). */
  deliver(instanceId: string, message: PendingMessage, executionId?: string): boolean {
    const instance = this.instances.get(instanceId);
    if (!instance || (executionId !== undefined && instance.meta.executionId !== executionId)) return false;
    if (isTerminal(instance.meta.status)) return true;
    instance.pending.push(message);
    this.wake(instance);
    return true;
  }

  private wake(instance: Instance): void {
    if (this.stopping || instance.busy || this.ready.includes(instance) || !instance.hasDeliverable()) return;
    this.ready.push(instance);
    this.pump();
  }

  private pump(): void {
    while (!this.stopping && this.running < this.options.maxConcurrentOrchestrations && this.ready.length > 0) {
      const instance = this.ready.shift();
      if (instance && this.instances.get(instance.meta.instanceId) === instance) void this.step(instance);
    }
  }

  private async step(instance: Instance): Promise<void> {
    instance.busy = true;
    this.running++;
    try {
      // With more tasks still out, one turn of the event loop lets those already done join this episode.
      if (instance.pending.length < instance.schedule.open.size)
        await new Promise<void>((resolve) => setImmediate(resolve));
      const taken = this.firstCompletions(instance, instance.take(maxInboxPerEpisode));
      if (taken.length > 0) this.apply(instance, await runEpisode(instance, taken, this.episodeDeps()));
    } catch (error) {
      this.lost(instance, error);
    } finally {
      instance.busy = false;
      this.running--;
      if (this.running === 0 && this.stopping) this.drained.splice(0).forEach((resolve) => resolve());
      this.wake(instance);
      this.pump();
    }
  }

  /** A task completes once: a second result (an activity run twice, a child reported twice) is dropped. */
  private firstCompletions(instance: Instance, taken: PendingMessage[]): PendingMessage[] {
    const seen = new Set<number>();
    return taken.filter(({ event }) => {
      const id = completedTaskId(event);
      if (id === undefined) return true;
      if (seen.has(id) || !instance.schedule.open.has(id)) return false;
      seen.add(id);
      return true;
    });
  }

  private episodeDeps() {
    return {
      ...this.options.catalog,
      invokeOrchestrator: (name: string, payload: string): Promise<Execution> =>
        this.options.invoker
          .invoke({ functionName: name, trigger: { json: payload } })
          .then(executionFromResponse, executionFromError),
    };
  }

  /** Drops an instance whose episode could not run or commit; storage has its last durable state. */
  private lost(instance: Instance, error: unknown): void {
    if (this.instances.get(instance.meta.instanceId) !== instance) return;
    log(
      "error",
      "durable",
      `Episode of "${instance.meta.instanceId}" failed; reloading it from storage: ` +
        `${error instanceof Error ? error.stack : String(error)}`,
    );
    this.forget(instance.meta.instanceId);
    this.options.reload(instance.meta.instanceId);
  }

  /**
   * Applies an episode in memory and queues it for group commit. Its effects start before it
   * is durable: after a crash the episode replays, and activities run at least once anyway.
   */
  private apply(instance: Instance, episode: Episode): void {
    const previous = instance.meta;
    const durable = instance.log.push(episode);
    durable.catch((error: unknown) => this.lost(instance, error));
    if (episode.continuedAsNew) return this.continueAsNew(instance, previous, episode.meta, durable);
    instance.record(episode.events);
    instance.meta = episode.meta;
    for (const event of episode.events) if (isScheduling(event)) this.dispatch(instance, event);
    if (isTerminal(episode.meta.status)) this.finished(instance, durable);
  }

  private continueAsNew(instance: Instance, previous: InstanceMeta, meta: InstanceMeta, durable: Promise<void>): void {
    this.timers.cancel(meta.instanceId);
    instance.restart(meta);
    // Raised events and control messages not yet delivered carry over; old task results do not.
    instance.pending = [{ event: executionStarted(meta) }, ...instance.pending.filter((m) => m.inboxKey !== undefined)];
    const stale = Array.from({ length: previous.episodes }, (_, i) => historyRowKey(previous.executionId, i));
    durable
      .then(() => this.options.store.deleteRows(meta.instanceId, stale))
      .catch((e: unknown) =>
        log("warning", "durable", `Could not delete old history of "${meta.instanceId}": ${String(e)}`),
      );
  }

  /**
   * A finished instance stays in memory until durable, so status queries never see an older
   * state; only then does it report to its parent, which may otherwise miss it after a crash.
   */
  private finished(instance: Instance, durable: Promise<void>): void {
    const { instanceId, parent } = instance.meta;
    this.timers.cancel(instanceId);
    durable.then(
      () => {
        if (parent)
          this.deliver(parent.instanceId, { event: childOutcome(instance.meta, parent.taskId) }, parent.executionId);
        if (this.instances.get(instanceId) === instance) this.forget(instanceId);
      },
      () => undefined,
    );
  }

  private dispatch(instance: Instance, event: HistoryEvent): void {
    const { instanceId, executionId } = instance.meta;
    const report = (outcome: HistoryEvent) => this.deliver(instanceId, { event: outcome }, executionId);
    if (event.EventType === EventType.TaskScheduled) this.activities.run(event, report);
    else if (event.EventType === EventType.TimerCreated) {
      this.timers.arm(instanceId, Date.parse(event.FireAt ?? ""), () =>
        report(historyEvent(EventType.TimerFired, { TimerId: event.EventId, FireAt: event.FireAt })),
      );
    } else if (event.EventType === EventType.SubOrchestrationInstanceCreated) {
      this.options
        .startChild(instance.meta, event)
        .catch((e: unknown) =>
          log(
            "error",
            "durable",
            `Could not start sub-orchestration "${event.InstanceId}": ${e instanceof Error ? e.message : String(e)}`,
          ),
        );
    }
  }

  /** Stops starting episodes and waits for the running ones and the running activities. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.timers.cancelAll();
    if (this.running > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
    await this.activities.idle();
    await Promise.all([...this.instances.values()].map((instance) => instance.log.flushed()));
  }
}

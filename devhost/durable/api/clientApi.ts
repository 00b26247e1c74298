import { randomUUID } from "node:crypto";
import { EventType } from "../history/eventType";
import { historyEvent, type HistoryEvent } from "../history/historyEvent";
import type { FunctionCatalog } from "../orchestration/scheduling";
import type { Engine } from "../runtime/engine";
import { isTerminal, type InstanceMeta } from "../runtime/instanceMeta";
import { executionStarted } from "../runtime/lifecycleEvents";
import { resumeInstance } from "../runtime/recovery";
import type { DurableStore } from "../store/durableStore";
import { allInstances, queryInstances, type InstanceFilter, type InstancePage } from "../store/instanceQuery";
import { durableErrors } from "./errors";
import { statusView, type StatusOptions } from "./statusView";

function jsonTextOrNull(body: string): string | null {
  if (body.trim() === "") return null;
  try {
    JSON.parse(body);
  } catch {
    throw durableErrors.badRequest("The request body must be JSON.");
  }
  return body;
}

/** What the durable client API does, whichever listener it arrives on. */
export class ClientApi {
  constructor(
    private readonly store: DurableStore,
    private readonly engine: Engine,
    private readonly catalog: FunctionCatalog,
  ) {}

  private async current(instanceId: string): Promise<InstanceMeta | undefined> {
    return this.engine.get(instanceId)?.meta ?? this.store.readInstance(instanceId);
  }

  /** Acknowledged only once the instance row (its start message) is stored. */
  async start(name: string, instanceId: string | undefined, body: string): Promise<string> {
    if (!this.catalog.isOrchestrator(name))
      throw durableErrors.badRequest(`"${name}" is not a registered orchestrator function.`);
    const id = instanceId ?? randomUUID().replace(/-/g, "");
    const now = new Date().toISOString();
    const meta: InstanceMeta = {
      instanceId: id,
      name,
      executionId: randomUUID(),
      status: "Pending",
      input: jsonTextOrNull(body),
      output: null,
      customStatus: null,
      createdTime: now,
      lastUpdatedTime: now,
      episodes: 0,
    };
    if (!(await this.store.createInstance(meta))) {
      const existing = await this.current(id);
      if (existing && !isTerminal(existing.status))
        throw durableErrors.conflict(`An instance with ID '${id}' already exists and is ${existing.status}.`);
      // A just-finished instance may still be writing its last episode: let it land first.
      await this.engine.get(id)?.log.flushed();
      this.engine.forget(id);
      await this.store.purge(id);
      if (!(await this.store.createInstance(meta)))
        throw durableErrors.conflict(`An instance with ID '${id}' was created concurrently.`);
    }
    this.engine.admit(meta, [], [{ event: executionStarted(meta) }]);
    return id;
  }

  raiseEvent(instanceId: string, eventName: string, body: string): Promise<void> {
    return this.send(instanceId, historyEvent(EventType.EventRaised, { Name: eventName, Input: jsonTextOrNull(body) }));
  }

  terminate(instanceId: string, reason: string): Promise<void> {
    return this.send(instanceId, historyEvent(EventType.ExecutionTerminated, { Input: JSON.stringify(reason) }));
  }

  suspend(instanceId: string, reason: string): Promise<void> {
    return this.send(instanceId, historyEvent(EventType.ExecutionSuspended, { Reason: reason }));
  }

  resume(instanceId: string, reason: string): Promise<void> {
    return this.send(instanceId, historyEvent(EventType.ExecutionResumed, { Reason: reason }));
  }

  /** Stores the message in the instance's inbox, then wakes the instance in memory. */
  private async send(instanceId: string, event: HistoryEvent): Promise<void> {
    const meta = await this.current(instanceId);
    if (!meta) throw durableErrors.notFound(instanceId);
    if (isTerminal(meta.status)) throw durableErrors.gone(instanceId, meta.status);
    const inboxKey = await this.store.addInbox(instanceId, event);
    if (!this.engine.deliver(instanceId, { event, inboxKey }))
      await resumeInstance(this.store, this.engine, instanceId);
  }

  async status(instanceId: string, options: StatusOptions): Promise<Record<string, unknown> | undefined> {
    const live = this.engine.get(instanceId);
    if (live) return statusView(live.meta, options, live.history);
    if (!options.showHistory) {
      const meta = await this.store.readInstance(instanceId);
      return meta && statusView(meta, options);
    }
    const stored = await this.store.loadInstance(instanceId);
    return stored && statusView(stored.meta, options, stored.history);
  }

  async list(
    filter: InstanceFilter,
    pageSize: number,
    token: string | undefined,
    showInput: boolean,
  ): Promise<{ items: Record<string, unknown>[]; token?: string }> {
    const page: InstancePage = await queryInstances(this.store, filter, pageSize, token);
    const options = { showHistory: false, showHistoryOutput: false, showInput };
    return {
      items: page.items.map((meta) => statusView(this.engine.get(meta.instanceId)?.meta ?? meta, options)),
      token: page.continuationToken,
    };
  }

  /** Purges a finished instance: its rows and blobs. Unfinished instances are refused. */
  async purge(instanceId: string): Promise<number> {
    const meta = await this.current(instanceId);
    if (!meta) return 0;
    if (!isTerminal(meta.status))
      throw durableErrors.conflict(
        `Instance '${instanceId}' is ${meta.status}; only completed, failed or terminated instances can be purged.`,
      );
    await this.store.purge(instanceId);
    return 1;
  }

  async purgeBy(filter: InstanceFilter): Promise<number> {
    let deleted = 0;
    for await (const meta of allInstances(this.store, filter)) {
      if (isTerminal(meta.status) && !this.engine.get(meta.instanceId)) {
        await this.store.purge(meta.instanceId);
        deleted++;
      }
    }
    return deleted;
  }
}

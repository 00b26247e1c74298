import { log } from "../../log";
import type { DurableStore } from "../store/durableStore";
import { allInstances } from "../store/instanceQuery";
import type { Engine } from "./engine";
import type { PendingMessage } from "./instance";
import { executionStarted } from "./lifecycleEvents";

/** Loads one unfinished instance: history replays into memory, inbox rows become pending messages. */
export async function resumeInstance(store: DurableStore, engine: Engine, instanceId: string): Promise<void> {
  const stored = await store.loadInstance(instanceId);
  if (!stored || engine.get(instanceId)) return;
  const { meta, history, inbox, staleRows } = stored;
  if (meta.status === "Completed" || meta.status === "Failed" || meta.status === "Terminated") return;
  const pending: PendingMessage[] = [];
  // An execution with no history yet has not seen its start: the instance row is the start message.
  if (history.length === 0) pending.push({ event: executionStarted(meta) });
  pending.push(...inbox.map((m) => ({ event: m.event, inboxKey: m.key })));
  engine.admit(meta, history, pending);
  if (staleRows.length > 0) await store.deleteRows(instanceId, staleRows);
}

/** At start: every instance not finished is resumed, so nothing acknowledged waits for a poll. */
export async function resumeAll(store: DurableStore, engine: Engine): Promise<number> {
  const ids: string[] = [];
  for await (const meta of allInstances(store, { runtimeStatus: ["Pending", "Running", "Suspended"] })) ids.push(meta.instanceId);
  // Parents first is not needed: children report to parents that are live, and parents re-check children.
  await Promise.all(ids.map((id) => resumeInstance(store, engine, id).catch((e: unknown) =>
    log("error", "durable", `Could not resume "${id}": ${e instanceof Error ? e.message : String(e)}`))));
  return ids.length;
}

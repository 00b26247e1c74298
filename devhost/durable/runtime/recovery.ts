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

/**
 * Resumes every unfinished instance not in memory. At start this is recovery; later, run
 * rarely, it is the fallback for an instance whose reload failed.
 */
export async function resumeAll(store: DurableStore, engine: Engine): Promise<number> {
  const ids: string[] = [];
  for await (const meta of allInstances(store, { runtimeStatus: ["Pending", "Running", "Suspended"] })) {
    if (!engine.get(meta.instanceId)) ids.push(meta.instanceId);
  }
  // Order does not matter: children report to live parents, and parents re-check their children.
  await Promise.all(
    ids.map((id) =>
      resumeInstance(store, engine, id).catch((e: unknown) =>
        log("error", "durable", `Could not resume "${id}": ${e instanceof Error ? e.message : String(e)}`),
      ),
    ),
  );
  return ids.length;
}

/** The storage poll, off the hot path: every writer wakes instances in memory, this only backs it up. */
export function startFallbackScan(store: DurableStore, engine: Engine, intervalMs: number): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    resumeAll(store, engine)
      .catch((e: unknown) =>
        log("warning", "durable", `Fallback scan failed: ${e instanceof Error ? e.message : String(e)}`),
      )
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

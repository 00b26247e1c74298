/**
 * The long-running loop: heartbeat, then obey. Replicate runs a cycle when one is due; Pause
 * and Idle only heartbeat; FinalSync runs the shutdown command and one final cycle, then waits
 * for Stop; Stop returns. While a cycle runs, heartbeats continue and a changed instruction
 * interrupts it at once (what was acknowledged stays acknowledged).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { runCycle, type CycleDeps, type CycleResult } from "./cycle";
import { DoubtToReport } from "./doubts";
import { runHook } from "./hooks";
import { errorText } from "./log";
import { isDiskFull } from "./spaceBudget";
import type { AgentAction, Instructions } from "./protocol";
import type { TokenBucket } from "./tokenBucket";

export interface AgentDeps extends CycleDeps {
  bucket: TokenBucket;
  heartbeatMs: number;
}

export async function runAgent(deps: AgentDeps, signal: AbortSignal): Promise<void> {
  let nextCycleAt = 0;
  let lastAction: AgentAction | undefined;
  for (;;) {
    const instructions = await heartbeat(deps, signal);
    if (instructions.action !== lastAction)
      deps.log.info(
        `instruction: ${instructions.action}` +
          `${instructions.itemId ? ` (item ${instructions.itemId}, epoch ${instructions.epoch})` : ""}`,
      );
    lastAction = instructions.action;
    if (instructions.action === "Stop") return;
    try {
      nextCycleAt = await obey(deps, instructions, nextCycleAt, signal);
    } catch (error) {
      // A journal save outside a cycle found the disk full: heartbeats go on, reporting it, until space returns.
      if (signal.aborted || !isDiskFull(error)) throw error;
      await deps.space.failed(error);
      await sleep(deps.heartbeatMs, undefined, { signal });
    }
  }
}

/** One turn of the loop after a heartbeat; returns when the next cycle is due. */
async function obey(
  deps: AgentDeps,
  instructions: Instructions,
  nextCycleAt: number,
  signal: AbortSignal,
): Promise<number> {
  // Back to replicating after a migration was cancelled or failed: a later one needs a fresh final sync.
  if (instructions.action === "Replicate" && deps.journal.value.finalSync)
    deps.journal.update((journal) => {
      journal.finalSync = undefined;
    });
  if (instructions.action === "Replicate" && Date.now() >= nextCycleAt)
    return replicateTurn(deps, instructions, signal);
  if (instructions.action === "FinalSync" && !deps.journal.value.finalSync?.completedAt) {
    await finalSyncTurn(deps, instructions, signal);
    return nextCycleAt;
  }
  const wait =
    instructions.action === "Replicate" ? Math.min(deps.heartbeatMs, nextCycleAt - Date.now()) : deps.heartbeatMs;
  await sleep(Math.max(0, wait), undefined, { signal });
  return nextCycleAt;
}

async function heartbeat(deps: AgentDeps, signal: AbortSignal, retry = true): Promise<Instructions> {
  const resyncNeeded = deps.doubts.reports();
  const problems = deps.space.problems();
  const body = {
    ...deps.progress.heartbeat(),
    ...(resyncNeeded.length > 0 ? { resyncNeeded } : {}),
    ...(problems.length > 0 ? { problems } : {}),
  };
  const instructions = await deps.api.heartbeat(body, signal, retry);
  deps.doubts.delivered(resyncNeeded);
  const limits = [instructions.throttleBytesPerSecond, deps.state.maxBytesPerSecond].filter(
    (n): n is number => n !== undefined && n > 0,
  );
  deps.bucket.setRate(limits.length > 0 ? Math.min(...limits) : undefined);
  return instructions;
}

/** Runs one cycle; returns when the next is due. */
async function replicateTurn(deps: AgentDeps, instructions: Instructions, signal: AbortSignal): Promise<number> {
  const started = Date.now();
  const interval = instructions.cycleIntervalSeconds * 1000;
  try {
    const result = await guardedCycle(deps, instructions, false, signal);
    // Straight after an initial copy, a delta gives the first consistent point.
    if (result === undefined || result.copyFinished) return Date.now();
    return started + interval;
  } catch (error) {
    if (error instanceof DoubtToReport) {
      deps.log.warn(error.message);
      return Date.now();
    }
    const retryAt = Date.now() + Math.min(Math.max(interval, deps.heartbeatMs), 60_000);
    // Smaller batches are tried after the next heartbeat, which reports the problem; waiting for space waits longer.
    return (await cycleFailed(deps, error, signal)) && !deps.space.stopped ? Date.now() : retryAt;
  }
}

async function finalSyncTurn(deps: AgentDeps, instructions: Instructions, signal: AbortSignal): Promise<void> {
  if (!deps.journal.value.finalSync?.shutdownAt) await runShutdownCommand(deps);
  try {
    const result = await guardedCycle(deps, instructions, true, signal);
    if (result !== undefined)
      deps.journal.update((journal) => {
        journal.finalSync = { ...journal.finalSync, completedAt: new Date().toISOString() };
      });
  } catch (error) {
    await cycleFailed(deps, error, signal);
    await sleep(deps.heartbeatMs, undefined, { signal });
  }
}

/** Stops the source's workload before the last changes are read; a failure is reported, not fatal. */
async function runShutdownCommand(deps: AgentDeps): Promise<void> {
  const command = deps.state.shutdownCommand;
  if (command) deps.log.info("FinalSync: running the shutdown command");
  const result = command
    ? await runHook(command, { FERRY_HOOK: "shutdown" })
    : { ok: true, detail: "no shutdown command configured" };
  if (!result.ok)
    deps.log.error(
      `FinalSync: the shutdown command failed (${result.detail}); the final point comes from a running source`,
    );
  deps.journal.update((journal) => {
    journal.finalSync = { shutdownAt: new Date().toISOString(), shutdownOk: result.ok && command !== undefined };
  });
}

/** A cycle with heartbeats beside it; undefined when a new instruction interrupted it. */
async function guardedCycle(
  deps: AgentDeps,
  instructions: Instructions,
  final: boolean,
  signal: AbortSignal,
): Promise<CycleResult | undefined> {
  const cycle = new AbortController();
  const stop = () => cycle.abort(signal.reason);
  signal.addEventListener("abort", stop);
  let busy = false;
  const ticker = setInterval(() => {
    if (busy) return;
    busy = true;
    heartbeat(deps, cycle.signal, false)
      .then((next) => {
        if (interrupts(next, instructions)) cycle.abort(new Error(`interrupted by ${next.action}`));
      })
      .catch((error: unknown) => {
        if (!cycle.signal.aborted) deps.log.warn(`heartbeat failed: ${errorText(error)}`);
      })
      .finally(() => {
        busy = false;
      });
  }, deps.heartbeatMs);
  try {
    return await runCycle(deps, instructions, final, cycle.signal);
  } catch (error) {
    if (!cycle.signal.aborted || signal.aborted) throw error;
    deps.log.info(`cycle ${errorText(cycle.signal.reason)}; acknowledged batches are kept`);
    return undefined;
  } finally {
    clearInterval(ticker);
    signal.removeEventListener("abort", stop);
  }
}

/** Another action, item or epoch, or a resync that began (or ended): the running cycle's plan no longer holds. */
function interrupts(next: Instructions, current: Instructions): boolean {
  return (
    next.action !== current.action ||
    next.epoch !== current.epoch ||
    next.itemId !== current.itemId ||
    next.resyncId !== current.resyncId
  );
}

/**
 * A failed cycle: a full state directory shrinks the batches and is reported by the heartbeats
 * (true); anything else is recorded in the journal (false).
 */
async function cycleFailed(deps: AgentDeps, error: unknown, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted || !isDiskFull(error)) {
    recordError(deps, error, signal);
    return false;
  }
  await deps.space.failed(error);
  return true;
}

function recordError(deps: AgentDeps, error: unknown, signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason;
  const message = errorText(error);
  deps.log.error(`cycle failed: ${message}`);
  deps.journal.update((journal) => {
    journal.lastError = { at: new Date().toISOString(), message };
  });
}

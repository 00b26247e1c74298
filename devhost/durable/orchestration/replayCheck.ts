import type { Leaf } from "./actions";
import type { ScheduledTask, TaskKind } from "./schedule";

export type ReplayCheck = { ok: true; fresh: Leaf[] } | { ok: false; message: string };

const kindWords: Record<TaskKind, string> = {
  activity: "activity",
  timer: "timer",
  subOrchestration: "sub-orchestration",
};

function describeLeaf(leaf: Leaf): string {
  switch (leaf.kind) {
    case "timer":
      return "a timer";
    case "unsupported":
      return leaf.what;
    default:
      return `${kindWords[leaf.kind]} "${leaf.name}"`;
  }
}

function describeTask(task: ScheduledTask): string {
  return task.kind === "timer" ? "a timer" : `${kindWords[task.kind]} "${task.name}"`;
}

function sameTask(leaf: Leaf, task: ScheduledTask): boolean {
  if (leaf.kind === "unsupported" || leaf.kind !== task.kind) return false;
  return leaf.kind === "timer" || leaf.name === task.name;
}

/**
 * Replays the orchestrator's tasks against those recorded in history, in order, as the
 * Durable Task Framework does; returns the tasks scheduled for the first time.
 */
export function checkReplay(
  orchestrator: string,
  recorded: readonly ScheduledTask[],
  leaves: readonly Leaf[],
  finished: boolean,
): ReplayCheck {
  const shared = Math.min(recorded.length, leaves.length);
  for (let i = 0; i < shared; i++) {
    if (!sameTask(leaves[i], recorded[i])) {
      return {
        ok: false,
        message:
          `Non-deterministic orchestrator "${orchestrator}": ` +
          `history expected ${describeTask(recorded[i])} at position ${i} ` +
          `(task id ${recorded[i].id}), but the orchestrator scheduled ${describeLeaf(leaves[i])}.`,
      };
    }
  }
  if (finished && leaves.length < recorded.length) {
    return {
      ok: false,
      message:
        `Non-deterministic orchestrator "${orchestrator}": history has ${recorded.length} scheduled tasks, ` +
        `but the orchestrator finished after scheduling ${leaves.length}; ` +
        `next expected ${describeTask(recorded[leaves.length])}.`,
    };
  }
  return { ok: true, fresh: leaves.slice(shared) };
}

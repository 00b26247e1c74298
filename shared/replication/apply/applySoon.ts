/**
 * The inline apply of a batch just acknowledged (`FERRY_APPLY_MODE=inline`), scheduled by ingest.
 * Its extents stay in memory for it only within a budget across the process.
 */
import type { DataPathDeps, DiskTarget } from "../store";
import type { Extent } from "../wire";
import { applyPending } from "./applyBatches";

/**
 * Data bytes of acknowledged batches held in memory, across the process, until their inline apply
 * runs. Applies queue behind each other per replica; past this budget a batch is applied from
 * the cache instead, so a backlog costs storage reads, not memory.
 */
const RETAINED_BUDGET_BYTES = 128 * 1024 * 1024;
/** How long an inline apply waits after the ack, leaving storage to the agent's next call. */
const APPLY_GRACE_MS = 250;
let retainedForApply = 0;

function holdForApply(bytes: number): boolean {
  if (retainedForApply + bytes > RETAINED_BUDGET_BYTES) return false;
  retainedForApply += bytes;
  return true;
}

/** A batch acknowledged a moment ago: its sequence, and its decoded extents when ingest kept them. */
export interface InlineBatch {
  sequence: number;
  extents?: readonly Extent[];
  /** Data bytes in `extents`. */
  bytes: number;
}

/**
 * Not awaited: the ack is durable already, and the agent's next batch streams in while this one
 * is written. Applies stay in order (one queue per replica); if this one fails or the process
 * dies, the batch stays pending for the next batch, a reader of a point or the timer. It starts a
 * moment later: the agent's next call (its next batch, or the cycle that cuts the point) usually
 * comes within that, and gets storage and the CPU first. The queued apply holds the batch's
 * extents only if the budget takes them — nothing here may keep them alive otherwise.
 */
export function applySoon(deps: DataPathDeps, target: DiskTarget, { sequence, extents, bytes }: InlineBatch): void {
  const retained = extents && holdForApply(bytes) ? { sequence, extents } : undefined;
  setTimeout(() => {
    applyPending(deps, target, sequence, true, retained)
      .catch(() => undefined)
      .finally(() => {
        if (retained) retainedForApply -= bytes;
      });
  }, APPLY_GRACE_MS);
}

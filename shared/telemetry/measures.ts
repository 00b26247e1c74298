/**
 * What the use cases measure, one call each: they say what happened in their own terms and this
 * file turns it into Ferry's metrics (names.ts), keeping attribute sets small enough to chart.
 */
import type { HealthError } from "../domain/health";
import { instruments } from "./instruments";
import { attributeNames as a } from "./names";

export type BatchKind = "seed" | "delta";

export type BatchOutcome =
  | { outcome: "accepted"; wireBytes: number; diskBytes: number }
  | { outcome: "duplicate" }
  /** Refused for the request (a 4xx code), or failed on Ferry's side (a 5xx code, "Internal"). */
  | { outcome: "refused" | "failed"; errorCode: string };

/** One batch answered (or refused), `seconds` after it arrived. */
export function measureBatch(kind: BatchKind | "unknown", result: BatchOutcome, seconds: number): void {
  const m = instruments();
  const attributes = {
    [a.batchKind]: kind,
    [a.outcome]: result.outcome,
    ...("errorCode" in result ? { [a.errorCode]: result.errorCode } : {}),
  };
  m.batches.add(1, attributes);
  m.ingestDuration.record(seconds, attributes);
  if (result.outcome !== "accepted") return;
  m.batchBytes.add(result.wireBytes, { [a.batchKind]: kind });
  m.diskBytes.add(result.diskBytes, { [a.batchKind]: kind });
}

/** An apply pass landed: its oldest batch had waited `lagSeconds`; `backlogBytes` still wait. */
export function measureApply(lagSeconds: number | undefined, backlogBytes: number): void {
  const m = instruments();
  if (lagSeconds !== undefined) m.applyLag.record(lagSeconds);
  m.applyBacklog.record(backlogBytes);
}

/** A recovery point's row was written (a repeated cycle that found its row counts nothing). */
export function measurePoint(point: { type: string; origin: "cycle" | "job"; final: boolean }): void {
  instruments().pointsCut.add(1, {
    [a.pointType]: point.type,
    [a.pointOrigin]: point.origin,
    [a.pointFinal]: point.final,
  });
}

/** A job ended: `seconds` from its creation, with its operation and how it ended. */
export function measureJob(operation: string, outcome: string, seconds: number): void {
  instruments().jobDuration.record(seconds, { [a.operation]: operation, [a.outcome]: outcome });
}

/** Health errors a server's newest sample shows that the one before it did not. */
export function measureHealthRaised(raised: readonly HealthError[]): void {
  const m = instruments();
  for (const error of raised)
    m.healthErrorsRaised.add(1, { [a.healthCode]: error.code, [a.healthSeverity]: error.severity });
}

import { errors } from "./errors";
import { fail, ok, type Result } from "./result";

/**
 * A recovery point: a byte-exact state of every replicated disk at one time.
 * - CrashConsistent: one instant of the source (a snapshot view, or a quiesced source).
 * - ApplicationConsistent: one instant taken between the pre- and post-freeze hooks; also crash-consistent.
 * - Inconsistent: exact replica bytes, but read across more than one instant of a live source,
 *   because the agent had no snapshot view. Never presented as consistent (docs/agent-run.md, "Consistency").
 */
export const recoveryPointTypes = ["CrashConsistent", "ApplicationConsistent", "Inconsistent"] as const;
export type RecoveryPointType = (typeof recoveryPointTypes)[number];

export const recoveryPointChoices = [
  "Latest",
  "LatestProcessed",
  "LatestApplicationConsistent",
  "LatestCrashConsistent",
] as const;
/** A named choice, or the id of a point. */
export type RecoveryPointChoice = (typeof recoveryPointChoices)[number] | (string & {});

export interface RecoveryPointDisk {
  readonly diskId: string;
  readonly sizeBytes: number;
}

export interface RecoveryPoint {
  readonly id: string;
  /** ISO 8601 time of the source state the point holds (never later than `receivedAt`). */
  readonly time: string;
  /**
   * When the server recorded the point (ISO 8601). A later point holds later batches whatever
   * the agent's clock said, so this, not `time`, says which point is newest.
   */
  readonly receivedAt?: string;
  readonly type: RecoveryPointType;
  readonly disks: readonly RecoveryPointDisk[];
  /** Ids of the jobs (test migration, migration) that use this point; retention never prunes a pinned point. */
  readonly pinnedBy: readonly string[];
  /** False while the batches the point holds are still being applied to the replica (absent: true). */
  readonly processed?: boolean;
}

/** Either an existing point, or "process every acknowledged change into a new point first" (Site Recovery's Latest). */
export type RecoveryPointSelection =
  { readonly kind: "Existing"; readonly point: RecoveryPoint } | { readonly kind: "CaptureLatest" };

const receivedMs = (point: RecoveryPoint) => (point.receivedAt === undefined ? 0 : Date.parse(point.receivedAt));

/**
 * Newest first: by when the server recorded them, then by source time, then by id (time-ordered
 * for Ferry ids).
 */
export function newestFirst(a: RecoveryPoint, b: RecoveryPoint): number {
  return (
    receivedMs(b) - receivedMs(a) || Date.parse(b.time) - Date.parse(a.time) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)
  );
}

export function newestPoint(
  points: readonly RecoveryPoint[],
  accept: (point: RecoveryPoint) => boolean = () => true,
): RecoveryPoint | undefined {
  return points.filter(accept).sort(newestFirst)[0];
}

const isCrashConsistent = (point: RecoveryPoint) =>
  point.type === "CrashConsistent" || point.type === "ApplicationConsistent";
const isAppConsistent = (point: RecoveryPoint) => point.type === "ApplicationConsistent";
const isProcessed = (point: RecoveryPoint) => point.processed !== false;

function existing(point: RecoveryPoint | undefined, missing: string): Result<RecoveryPointSelection> {
  return point === undefined ? fail(errors.noRecoveryPoint(missing)) : ok({ kind: "Existing", point });
}

/** Resolves a failover's recovery-point choice against the item's points. */
export function chooseRecoveryPoint(
  points: readonly RecoveryPoint[],
  choice: RecoveryPointChoice = "LatestProcessed",
): Result<RecoveryPointSelection> {
  switch (choice) {
    case "Latest":
      return ok({ kind: "CaptureLatest" });
    case "LatestProcessed":
      // Its data is on the replica already, so a failover from it waits for nothing; while no
      // point is processed yet, the newest one (applied first).
      return existing(
        newestPoint(points, isProcessed) ?? newestPoint(points),
        "The item has no recovery point yet; wait for initial replication to finish.",
      );
    case "LatestApplicationConsistent":
      return existing(
        newestPoint(points, isAppConsistent),
        "The item has no application-consistent recovery point; " +
          "check that app-consistent points are on in its policy and the agent's freeze hooks work.",
      );
    case "LatestCrashConsistent":
      // An app-consistent point is one instant of the source too, so it qualifies.
      return existing(
        newestPoint(points, isCrashConsistent),
        "The item has no crash-consistent recovery point: the agent could not give a consistent view of the source.",
      );
    default: {
      const point = points.find((candidate) => candidate.id === choice);
      return point === undefined ? fail(errors.notFound("RecoveryPoint", choice)) : ok({ kind: "Existing", point });
    }
  }
}

export interface RetentionInput {
  readonly now: Date;
  readonly retentionHours: number;
}

/** The points retention may delete: older than the window, not pinned, and never the newest point. */
export function pointsToPrune(
  points: readonly RecoveryPoint[],
  { now, retentionHours }: RetentionInput,
): RecoveryPoint[] {
  const cutoff = now.getTime() - retentionHours * 3_600_000;
  // The newest point, and the newest whose data is in the replica already: if apply is stuck,
  // that one is the last point anything can still read.
  const newest = [newestPoint(points), newestPoint(points, isProcessed)];
  return points.filter(
    (point) => !newest.includes(point) && point.pinnedBy.length === 0 && Date.parse(point.time) < cutoff,
  );
}

/**
 * Checks a failover's choice when it is asked for, against the points still there when its task
 * runs: a point retention may prune meanwhile is refused by id and passed over by the named choices.
 */
export function checkRecoveryPointChoice(
  points: readonly RecoveryPoint[],
  choice: RecoveryPointChoice,
  retention: RetentionInput,
): Result<void> {
  const expiring = new Set(pointsToPrune(points, retention).map((point) => point.id));
  if (expiring.has(choice)) {
    return fail(
      errors.noRecoveryPoint(
        `Recovery point '${choice}' is older than the policy's retention (${retention.retentionHours} h) ` +
          "and is being pruned; choose a newer point.",
      ),
    );
  }
  const chosen = chooseRecoveryPoint(
    points.filter((point) => !expiring.has(point.id)),
    choice,
  );
  return chosen.ok ? ok(undefined) : chosen;
}

/** Pins a point for a job; pinning twice for the same job changes nothing. */
export function pinPoint(point: RecoveryPoint, jobId: string): RecoveryPoint {
  return point.pinnedBy.includes(jobId) ? point : { ...point, pinnedBy: [...point.pinnedBy, jobId] };
}

export function unpinPoint(point: RecoveryPoint, jobId: string): RecoveryPoint {
  return point.pinnedBy.includes(jobId) ? { ...point, pinnedBy: point.pinnedBy.filter((id) => id !== jobId) } : point;
}

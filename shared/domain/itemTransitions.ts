import { errors } from "./errors";
import { checkOperation, type ItemOperation, type ItemState, type MigrationState } from "./itemState";
import { fail, ok, type Result } from "./result";

/**
 * Transitions of the item state machine. Every function is pure and returns a new state.
 * Activities run at least once, so an event that was already applied is accepted again and
 * changes nothing; an event that does not fit the current state is refused.
 */
export type OperationOutcome = "Succeeded" | "Failed" | "Cancelled";

/** The item no longer exists: DisableMigration succeeded and the caller deletes the record. */
export const itemRemoved = "Removed" as const;
export type ItemAfterOperation = ItemState | typeof itemRemoved;

/** Flags only mean something while seeding or Replicating; elsewhere they are cleared so states stay canonical. */
function withMigrationState(item: ItemState, migrationState: MigrationState): ItemState {
  const replicating = migrationState === "Replicating";
  const flowing = replicating || migrationState === "InitialSeedingInProgress";
  return {
    migrationState,
    testMigrateState: replicating ? item.testMigrateState : "None",
    replicationPaused: flowing && item.replicationPaused,
    resyncRequired: replicating && item.resyncRequired,
    resyncInProgress: replicating && item.resyncInProgress,
  };
}

const startEffects: Readonly<Record<ItemOperation, (item: ItemState) => ItemState>> = {
  TestMigrate: (item) => ({ ...item, testMigrateState: "TestMigrationInProgress" }),
  TestMigrateCleanup: (item) => ({ ...item, testMigrateState: "TestMigrationCleanupInProgress" }),
  Migrate: (item) => withMigrationState(item, "MigrationInProgress"),
  // From a failed seed, a resync restarts the seed; from Replicating it re-reads the source.
  StartResync: (item) =>
    item.migrationState === "InitialSeedingFailed"
      ? withMigrationState(item, "InitialSeedingInProgress")
      : { ...item, resyncInProgress: true, resyncRequired: false },
  PauseReplication: (item) => ({ ...item, replicationPaused: true }),
  ResumeReplication: (item) => ({ ...item, replicationPaused: false }),
  DisableMigration: (item) => withMigrationState(item, "DisableMigrationInProgress"),
};

/** Checks the guard and, when allowed, returns the state the item enters as the job starts. */
export function startOperation(item: ItemState, operation: ItemOperation): Result<ItemState> {
  const guard = checkOperation(item, operation);
  return guard.ok ? ok(startEffects[operation](item)) : fail(guard.error);
}

interface LongOperation {
  readonly running: (item: ItemState) => boolean;
  readonly settle: (item: ItemState, outcome: OperationOutcome) => ItemAfterOperation;
}

// Cancelling a running test migration or migration returns to Replicating: the orchestration
// removes what it created before reporting Cancelled (Site Recovery cannot cancel these at all).
const longOperations: Readonly<Partial<Record<ItemOperation, LongOperation>>> = {
  TestMigrate: {
    running: (item) => item.testMigrateState === "TestMigrationInProgress",
    settle: (item, outcome) => ({
      ...item,
      testMigrateState:
        outcome === "Succeeded" ? "TestMigrationSucceeded" : outcome === "Failed" ? "TestMigrationFailed" : "None",
    }),
  },
  TestMigrateCleanup: {
    running: (item) => item.testMigrateState === "TestMigrationCleanupInProgress",
    // An unfinished cleanup leaves resources behind: report the drill as failed and allow cleanup again.
    settle: (item, outcome) => ({
      ...item,
      testMigrateState: outcome === "Succeeded" ? "None" : "TestMigrationFailed",
    }),
  },
  Migrate: {
    running: (item) => item.migrationState === "MigrationInProgress",
    settle: (item, outcome) =>
      withMigrationState(
        item,
        outcome === "Succeeded" ? "MigrationSucceeded" : outcome === "Failed" ? "MigrationFailed" : "Replicating",
      ),
  },
  DisableMigration: {
    running: (item) => item.migrationState === "DisableMigrationInProgress",
    // A cancelled removal is half done: it reads as failed so DisableMigration can be retried.
    settle: (item, outcome) =>
      outcome === "Succeeded" ? itemRemoved : withMigrationState(item, "DisableMigrationFailed"),
  },
};

/** Quick operations take effect at start; a failed or cancelled job undoes that effect. */
const reverts: Readonly<Partial<Record<ItemOperation, (item: ItemState) => ItemState>>> = {
  StartResync: (item) =>
    item.resyncInProgress
      ? { ...item, resyncInProgress: false, resyncRequired: true }
      : item.migrationState === "InitialSeedingInProgress"
        ? withMigrationState(item, "InitialSeedingFailed")
        : item,
  PauseReplication: (item) => ({ ...item, replicationPaused: false }),
  ResumeReplication: (item) => withMigrationState({ ...item, replicationPaused: true }, item.migrationState),
};

function sameState(a: ItemState, b: ItemState): boolean {
  return (
    a.migrationState === b.migrationState &&
    a.testMigrateState === b.testMigrateState &&
    a.replicationPaused === b.replicationPaused &&
    a.resyncRequired === b.resyncRequired &&
    a.resyncInProgress === b.resyncInProgress
  );
}

/** Applies the end of an operation's job. */
export function completeOperation(
  item: ItemState,
  operation: ItemOperation,
  outcome: OperationOutcome,
): Result<ItemAfterOperation> {
  const long = longOperations[operation];
  if (long === undefined) {
    const revert = reverts[operation];
    return ok(outcome === "Succeeded" || revert === undefined ? item : revert(item));
  }
  if (long.running(item)) return ok(long.settle(item, outcome));
  const replay = long.settle(startEffects[operation](item), outcome);
  if (replay !== itemRemoved && sameState(replay, item)) return ok(item);
  return fail(errors.invalidStateTransition(`${operation} ${outcome}`, item.migrationState));
}

/** A system event that moves the item from one migration state to another. */
function move(event: string, from: MigrationState, to: MigrationState) {
  return (item: ItemState): Result<ItemState> => {
    if (item.migrationState === to) return ok(item);
    if (item.migrationState !== from) return fail(errors.invalidStateTransition(event, item.migrationState));
    return ok(withMigrationState(item, to));
  };
}

/** The Start replication job finished its setup and the seed begins. */
export const enableMigrationSucceeded = move(
  "EnableMigrationSucceeded",
  "EnableMigrationInProgress",
  "InitialSeedingInProgress",
);
export const enableMigrationFailed = move(
  "EnableMigrationFailed",
  "EnableMigrationInProgress",
  "EnableMigrationFailed",
);
/** Every included disk is fully copied and the first recovery point exists: delta replication begins. */
export const initialSeedingCompleted = move("InitialSeedingCompleted", "InitialSeedingInProgress", "Replicating");
export const initialSeedingFailed = move("InitialSeedingFailed", "InitialSeedingInProgress", "InitialSeedingFailed");

/** The data path found the replica out of step with the source (a gap it cannot fill). */
export function resyncRequiredDetected(item: ItemState): Result<ItemState> {
  if (item.migrationState !== "Replicating")
    return fail(errors.invalidStateTransition("ResyncRequired", item.migrationState));
  // A running resync re-reads everything anyway, so it already answers the need.
  return ok(item.resyncInProgress ? item : { ...item, resyncRequired: true });
}

export function resyncCompleted(item: ItemState): Result<ItemState> {
  if (item.migrationState !== "Replicating")
    return fail(errors.invalidStateTransition("ResyncCompleted", item.migrationState));
  return ok({ ...item, resyncInProgress: false, resyncRequired: false });
}

export function resyncFailed(item: ItemState): Result<ItemState> {
  if (item.migrationState !== "Replicating")
    return fail(errors.invalidStateTransition("ResyncFailed", item.migrationState));
  if (!item.resyncInProgress) return ok(item);
  return ok({ ...item, resyncInProgress: false, resyncRequired: true });
}

/**
 * The data path's own cure for a required resync, when nothing stands in its way: the agent is
 * re-reading its disks anyway (it lost or distrusts its state), so waiting for an operator
 * would only keep stale points and a Critical health. Paused replication waits for Resume.
 */
export function automaticResync(item: ItemState): ItemState {
  const free =
    item.migrationState === "Replicating" && item.resyncRequired && !item.replicationPaused && !item.resyncInProgress;
  return free ? { ...item, resyncRequired: false, resyncInProgress: true } : item;
}

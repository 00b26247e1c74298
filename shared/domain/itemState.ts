import { errors } from "./errors";
import { fail, ok, type Result } from "./result";

/**
 * The migration item state machine, in Site Recovery's own words (migrationItems REST API).
 * The guard rules below are the machine: `allowedOperations` and `checkOperation` both read
 * them, so the list an item advertises can never drift from what the API accepts.
 *
 * Decisions (tests/unit/itemState.test.ts holds the full state × operation table):
 * - One job holds an item at a time: while enabling, migrating, removing, test-migrating or
 *   cleaning up, nothing else is allowed (cancel the job instead).
 * - TestMigrate needs Replicating and no earlier test left; it stays refused until cleanup.
 *   Paused or resyncing replication does not block it: a drill uses an existing point.
 * - Migrate needs Replicating (or MigrationFailed, to retry), the test migration cleaned up,
 *   replication running, and a consistent replica (no resync required or running), because the
 *   default migration promises no data loss from a final synchronization.
 * - DisableMigration ("Complete migration" / stop replication) is allowed from every settled
 *   state — MigrationSucceeded, Replicating, seeding, and each *Failed state — once no test
 *   migration is left to clean up.
 * - Cancelling a running test migration or migration returns to Replicating.
 */
export const migrationStates = [
  "EnableMigrationInProgress",
  "EnableMigrationFailed",
  "InitialSeedingInProgress",
  "InitialSeedingFailed",
  "Replicating",
  "MigrationInProgress",
  "MigrationSucceeded",
  "MigrationFailed",
  "DisableMigrationInProgress",
  "DisableMigrationFailed",
] as const;
export type MigrationState = (typeof migrationStates)[number];

/** Orthogonal to migrationState and only meaningful while Replicating. */
export const testMigrateStates = [
  "None",
  "TestMigrationInProgress",
  "TestMigrationSucceeded",
  "TestMigrationFailed",
  "TestMigrationCleanupInProgress",
] as const;
export type TestMigrateState = (typeof testMigrateStates)[number];

export const itemOperations = [
  "TestMigrate",
  "TestMigrateCleanup",
  "Migrate",
  "StartResync",
  "PauseReplication",
  "ResumeReplication",
  "DisableMigration",
] as const;
export type ItemOperation = (typeof itemOperations)[number];

export interface ItemState {
  readonly migrationState: MigrationState;
  readonly testMigrateState: TestMigrateState;
  /** Replication (initial or delta) is paused by the operator; only meaningful while seeding or Replicating. */
  readonly replicationPaused: boolean;
  /** The replica no longer matches the source (e.g. lost changes) and needs a resynchronization. */
  readonly resyncRequired: boolean;
  /** A resynchronization is re-reading the source; a replication phase, like initial seeding, not a job. */
  readonly resyncInProgress: boolean;
}

/** The state of an item the moment replication is requested. */
export function newItemState(): ItemState {
  return {
    migrationState: "EnableMigrationInProgress",
    testMigrateState: "None",
    replicationPaused: false,
    resyncRequired: false,
    resyncInProgress: false,
  };
}

const stateWords: Record<MigrationState, string> = {
  EnableMigrationInProgress: "replication is still being enabled",
  EnableMigrationFailed: "enabling replication failed",
  InitialSeedingInProgress: "initial replication is still running",
  InitialSeedingFailed: "initial replication failed",
  Replicating: "the server is replicating",
  MigrationInProgress: "a migration is running",
  MigrationSucceeded: "the server has already been migrated",
  MigrationFailed: "the last migration failed",
  DisableMigrationInProgress: "replication is being removed",
  DisableMigrationFailed: "removing replication failed",
};

interface Rule {
  readonly holds: (item: ItemState) => boolean;
  readonly reason: (item: ItemState) => string;
}

/** Only one lifecycle job may hold an item (docs/lifecycle.md §4); these states mean one does. */
const busyMigrationStates: readonly MigrationState[] = [
  "EnableMigrationInProgress",
  "MigrationInProgress",
  "DisableMigrationInProgress",
];
const busyTestStates: readonly TestMigrateState[] = ["TestMigrationInProgress", "TestMigrationCleanupInProgress"];

const notBusy: Rule = {
  holds: (item) =>
    !busyMigrationStates.includes(item.migrationState) && !busyTestStates.includes(item.testMigrateState),
  reason: (item) =>
    item.testMigrateState === "TestMigrationInProgress"
      ? "a test migration is running; wait for its job to finish or cancel it"
      : item.testMigrateState === "TestMigrationCleanupInProgress"
        ? "a test migration cleanup is running; wait for its job to finish"
        : `${stateWords[item.migrationState]} (${item.migrationState}); wait for its job to finish or cancel it`,
};

function inState(allowed: readonly MigrationState[]): Rule {
  return {
    holds: (item) => allowed.includes(item.migrationState),
    reason: (item) =>
      `${stateWords[item.migrationState]} (${item.migrationState}); it needs an item in ${allowed.join(" or ")}`,
  };
}

const noTestToCleanUp: Rule = {
  holds: (item) => item.testMigrateState === "None",
  reason: (item) =>
    `the test migration (${item.testMigrateState}) has not been cleaned up; ` +
    "run TestMigrateCleanup first so its test VM and pinned recovery point are released",
};

const testToCleanUp: Rule = {
  holds: (item) =>
    item.testMigrateState === "TestMigrationSucceeded" || item.testMigrateState === "TestMigrationFailed",
  reason: () => "there is no finished test migration to clean up",
};

const notPaused: Rule = {
  holds: (item) => !item.replicationPaused,
  reason: () => "replication is paused; run ResumeReplication first",
};

const paused: Rule = {
  holds: (item) => item.replicationPaused,
  reason: () => "replication is not paused",
};

const replicaConsistent: Rule = {
  holds: (item) => !item.resyncRequired,
  reason: () => "the replica needs a resynchronization before it can be the final copy; run StartResync first",
};

const notResyncing: Rule = {
  holds: (item) => !item.resyncInProgress,
  reason: () => "a resynchronization is still running; wait until it completes",
};

/**
 * The guards, checked in order; the first that fails gives the reason.
 * Migrate and DisableMigration wait for TestMigrateCleanup: otherwise the `-Test` VM, its disks
 * and its pinned recovery point would outlive the replication that owns them.
 */
const operationRules: Readonly<Record<ItemOperation, readonly Rule[]>> = {
  TestMigrate: [notBusy, inState(["Replicating"]), noTestToCleanUp],
  TestMigrateCleanup: [notBusy, inState(["Replicating"]), testToCleanUp],
  Migrate: [
    notBusy,
    inState(["Replicating", "MigrationFailed"]),
    noTestToCleanUp,
    notPaused,
    replicaConsistent,
    notResyncing,
  ],
  StartResync: [notBusy, inState(["Replicating", "InitialSeedingFailed"]), notPaused, notResyncing],
  PauseReplication: [notBusy, inState(["InitialSeedingInProgress", "Replicating"]), notPaused],
  ResumeReplication: [notBusy, inState(["InitialSeedingInProgress", "Replicating"]), paused],
  DisableMigration: [
    notBusy,
    inState([
      "EnableMigrationFailed",
      "InitialSeedingInProgress",
      "InitialSeedingFailed",
      "Replicating",
      "MigrationSucceeded",
      "MigrationFailed",
      "DisableMigrationFailed",
    ]),
    noTestToCleanUp,
  ],
};

/** Why `operation` is refused for `item`, or undefined when it is allowed. */
export function refusalReason(item: ItemState, operation: ItemOperation): string | undefined {
  const failed = operationRules[operation].find((rule) => !rule.holds(item));
  return failed?.reason(item);
}

/** The guard: ok, or OperationNotAllowed (409) with a reason a person can act on. */
export function checkOperation(item: ItemState, operation: ItemOperation): Result<void> {
  const reason = refusalReason(item, operation);
  return reason === undefined ? ok(undefined) : fail(errors.operationNotAllowed(operation, reason));
}

/** What the item advertises, in the canonical order of `itemOperations`. */
export function allowedOperations(item: ItemState): ItemOperation[] {
  return itemOperations.filter((operation) => refusalReason(item, operation) === undefined);
}

/** Whether a lifecycle job currently holds the item. */
export function isItemBusy(item: ItemState): boolean {
  return !notBusy.holds(item);
}

import { describe, expect, it } from "vitest";
import {
  allowedOperations,
  checkOperation,
  newItemState,
  type ItemOperation,
  type ItemState,
} from "../../shared/domain/itemState";
import {
  completeOperation,
  enableMigrationSucceeded,
  initialSeedingCompleted,
  initialSeedingFailed,
  itemRemoved,
  resyncCompleted,
  resyncFailed,
  resyncRequiredDetected,
  startOperation,
  type ItemAfterOperation,
  type OperationOutcome,
} from "../../shared/domain/itemTransitions";
import { unwrap } from "../../shared/domain/result";

function replicating(): ItemState {
  return unwrap(initialSeedingCompleted(unwrap(enableMigrationSucceeded(newItemState()))));
}

function run(item: ItemState, operation: ItemOperation, outcome: OperationOutcome): ItemAfterOperation {
  return unwrap(completeOperation(unwrap(startOperation(item, operation)), operation, outcome));
}

function asItem(after: ItemAfterOperation): ItemState {
  if (after === itemRemoved) throw new Error("the item was removed");
  return after;
}

describe("item lifecycle transitions", () => {
  it("moves a new item through enable, seeding and into Replicating", () => {
    const seeding = unwrap(enableMigrationSucceeded(newItemState()));
    expect(seeding.migrationState).toBe("InitialSeedingInProgress");
    expect(unwrap(initialSeedingCompleted(seeding)).migrationState).toBe("Replicating");
  });

  it("refuses test migrate again until cleanup runs", () => {
    const tested = asItem(run(replicating(), "TestMigrate", "Succeeded"));
    expect(tested.testMigrateState).toBe("TestMigrationSucceeded");
    const again = checkOperation(tested, "TestMigrate");
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.message).toContain("TestMigrateCleanup");
    const cleaned = asItem(run(tested, "TestMigrateCleanup", "Succeeded"));
    expect(cleaned.testMigrateState).toBe("None");
    expect(checkOperation(cleaned, "TestMigrate").ok).toBe(true);
  });

  it("allows cleanup after a failed test migration too", () => {
    const failed = asItem(run(replicating(), "TestMigrate", "Failed"));
    expect(failed.testMigrateState).toBe("TestMigrationFailed");
    expect(allowedOperations(failed)).toContain("TestMigrateCleanup");
  });

  it("refuses cleanup when no test migration ran", () => {
    const guard = checkOperation(replicating(), "TestMigrateCleanup");
    expect(guard.ok).toBe(false);
    if (!guard.ok) expect(guard.error.message).toContain("no finished test migration");
  });

  it("allows cleanup again after a cleanup failed", () => {
    const tested = asItem(run(replicating(), "TestMigrate", "Succeeded"));
    const stuck = asItem(run(tested, "TestMigrateCleanup", "Failed"));
    expect(stuck.testMigrateState).toBe("TestMigrationFailed");
    expect(allowedOperations(stuck)).toContain("TestMigrateCleanup");
  });

  it("refuses migrate while a test migration awaits cleanup", () => {
    const tested = asItem(run(replicating(), "TestMigrate", "Succeeded"));
    const guard = checkOperation(tested, "Migrate");
    expect(guard.ok).toBe(false);
    if (!guard.ok) expect(guard.error.message).toMatch(/has not been cleaned up/);
  });

  it("returns to Replicating with no test when a running test migration is cancelled", () => {
    const cancelled = asItem(run(replicating(), "TestMigrate", "Cancelled"));
    expect(cancelled).toEqual(replicating());
  });

  it("returns to Replicating when a running migration is cancelled", () => {
    const cancelled = asItem(run(replicating(), "Migrate", "Cancelled"));
    expect(cancelled.migrationState).toBe("Replicating");
    expect(allowedOperations(cancelled)).toContain("Migrate");
  });

  it("lets a failed migration be retried", () => {
    const failed = asItem(run(replicating(), "Migrate", "Failed"));
    expect(failed.migrationState).toBe("MigrationFailed");
    expect(asItem(run(failed, "Migrate", "Succeeded")).migrationState).toBe("MigrationSucceeded");
  });

  it("completes a migrated server and removes the item", () => {
    const migrated = asItem(run(replicating(), "Migrate", "Succeeded"));
    expect(allowedOperations(migrated)).toEqual(["DisableMigration"]);
    expect(run(migrated, "DisableMigration", "Succeeded")).toBe(itemRemoved);
  });

  it("stops replication of a replicating server without migrating it", () => {
    expect(run(replicating(), "DisableMigration", "Succeeded")).toBe(itemRemoved);
  });

  it("leaves a cancelled removal as DisableMigrationFailed so it can be retried", () => {
    const half = asItem(run(replicating(), "DisableMigration", "Cancelled"));
    expect(half.migrationState).toBe("DisableMigrationFailed");
    expect(allowedOperations(half)).toEqual(["DisableMigration"]);
  });

  it("refuses migrate while paused and names the way out", () => {
    const paused = asItem(run(replicating(), "PauseReplication", "Succeeded"));
    const guard = checkOperation(paused, "Migrate");
    expect(guard.ok).toBe(false);
    if (!guard.ok) expect(guard.error.message).toContain("ResumeReplication");
  });

  it("undoes a pause whose job failed", () => {
    const started = unwrap(startOperation(replicating(), "PauseReplication"));
    expect(started.replicationPaused).toBe(true);
    expect(asItem(unwrap(completeOperation(started, "PauseReplication", "Failed"))).replicationPaused).toBe(false);
  });

  it("refuses migrate until a required resync completes", () => {
    const broken = unwrap(resyncRequiredDetected(replicating()));
    expect(checkOperation(broken, "Migrate").ok).toBe(false);
    const resyncing = unwrap(startOperation(broken, "StartResync"));
    expect(resyncing).toMatchObject({ resyncInProgress: true, resyncRequired: false });
    expect(checkOperation(resyncing, "Migrate").ok).toBe(false);
    expect(checkOperation(unwrap(resyncCompleted(resyncing)), "Migrate").ok).toBe(true);
  });

  it("marks the replica as needing resync again when a resync fails", () => {
    const resyncing = unwrap(startOperation(replicating(), "StartResync"));
    expect(unwrap(resyncFailed(resyncing))).toMatchObject({ resyncInProgress: false, resyncRequired: true });
  });

  it("restarts a failed initial replication with StartResync", () => {
    const failed = unwrap(initialSeedingFailed(unwrap(enableMigrationSucceeded(newItemState()))));
    expect(unwrap(startOperation(failed, "StartResync")).migrationState).toBe("InitialSeedingInProgress");
  });

  it("accepts a duplicate completion without changing the item", () => {
    const tested = asItem(run(replicating(), "TestMigrate", "Succeeded"));
    expect(unwrap(completeOperation(tested, "TestMigrate", "Succeeded"))).toEqual(tested);
    expect(unwrap(initialSeedingCompleted(replicating()))).toEqual(replicating());
  });

  it("refuses a completion that does not fit the item", () => {
    const result = completeOperation(replicating(), "Migrate", "Succeeded");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("InvalidStateTransition");
  });

  it("refuses a seeding event for an item that is not seeding", () => {
    expect(initialSeedingCompleted(newItemState()).ok).toBe(false);
  });

  it("explains a refusal in words", () => {
    const seeding = unwrap(enableMigrationSucceeded(newItemState()));
    const guard = checkOperation(seeding, "TestMigrate");
    expect(guard.ok).toBe(false);
    if (!guard.ok) {
      expect(guard.error.message).toBe(
        "TestMigrate is not allowed now: initial replication is still running (InitialSeedingInProgress); it needs an item in Replicating",
      );
    }
  });
});

import { describe, expect, it } from "vitest";
import {
  allowedOperations,
  checkOperation,
  itemOperations,
  newItemState,
  type ItemOperation,
  type ItemState,
} from "../../shared/domain/itemState";
import {
  completeOperation,
  enableMigrationFailed,
  enableMigrationSucceeded,
  initialSeedingCompleted,
  initialSeedingFailed,
  itemRemoved,
  resyncCompleted,
  resyncFailed,
  resyncRequiredDetected,
  startOperation,
  type OperationOutcome,
} from "../../shared/domain/itemTransitions";
import type { Result } from "../../shared/domain/result";

/** "Replicating TestMigrationSucceeded paused resyncRequired": the state words, then the flags that are set. */
function keyOf(item: ItemState): string {
  return [
    item.migrationState,
    item.testMigrateState === "None" ? "" : item.testMigrateState,
    item.replicationPaused ? "paused" : "",
    item.resyncRequired ? "resyncRequired" : "",
    item.resyncInProgress ? "resyncing" : "",
  ]
    .filter((part) => part !== "")
    .join(" ");
}

function itemFromKey(key: string): ItemState {
  const [migrationState, ...rest] = key.split(" ") as [ItemState["migrationState"], ...string[]];
  const test = rest.find((part) => part.startsWith("Test")) as ItemState["testMigrateState"] | undefined;
  return {
    migrationState,
    testMigrateState: test ?? "None",
    replicationPaused: rest.includes("paused"),
    resyncRequired: rest.includes("resyncRequired"),
    resyncInProgress: rest.includes("resyncing"),
  };
}

const TM: ItemOperation = "TestMigrate";
const TMC: ItemOperation = "TestMigrateCleanup";
const M: ItemOperation = "Migrate";
const RS: ItemOperation = "StartResync";
const P: ItemOperation = "PauseReplication";
const R: ItemOperation = "ResumeReplication";
const D: ItemOperation = "DisableMigration";

/** Every reachable state and the operations it must allow; a change to the machine must change this table. */
const expectedAllowed: Record<string, ItemOperation[]> = {
  EnableMigrationInProgress: [],
  EnableMigrationFailed: [D],
  InitialSeedingInProgress: [P, D],
  "InitialSeedingInProgress paused": [R, D],
  InitialSeedingFailed: [RS, D],
  MigrationInProgress: [],
  MigrationSucceeded: [D],
  MigrationFailed: [M, D],
  DisableMigrationInProgress: [],
  DisableMigrationFailed: [D],

  Replicating: [TM, M, RS, P, D],
  "Replicating resyncRequired": [TM, RS, P, D],
  "Replicating resyncing": [TM, P, D],
  "Replicating paused": [TM, R, D],
  "Replicating paused resyncRequired": [TM, R, D],
  "Replicating paused resyncing": [TM, R, D],

  "Replicating TestMigrationSucceeded": [TMC, RS, P],
  "Replicating TestMigrationSucceeded resyncRequired": [TMC, RS, P],
  "Replicating TestMigrationSucceeded resyncing": [TMC, P],
  "Replicating TestMigrationSucceeded paused": [TMC, R],
  "Replicating TestMigrationSucceeded paused resyncRequired": [TMC, R],
  "Replicating TestMigrationSucceeded paused resyncing": [TMC, R],

  "Replicating TestMigrationFailed": [TMC, RS, P],
  "Replicating TestMigrationFailed resyncRequired": [TMC, RS, P],
  "Replicating TestMigrationFailed resyncing": [TMC, P],
  "Replicating TestMigrationFailed paused": [TMC, R],
  "Replicating TestMigrationFailed paused resyncRequired": [TMC, R],
  "Replicating TestMigrationFailed paused resyncing": [TMC, R],

  "Replicating TestMigrationInProgress": [],
  "Replicating TestMigrationInProgress resyncRequired": [],
  "Replicating TestMigrationInProgress resyncing": [],
  "Replicating TestMigrationInProgress paused": [],
  "Replicating TestMigrationInProgress paused resyncRequired": [],
  "Replicating TestMigrationInProgress paused resyncing": [],

  "Replicating TestMigrationCleanupInProgress": [],
  "Replicating TestMigrationCleanupInProgress resyncRequired": [],
  "Replicating TestMigrationCleanupInProgress resyncing": [],
  "Replicating TestMigrationCleanupInProgress paused": [],
  "Replicating TestMigrationCleanupInProgress paused resyncRequired": [],
  "Replicating TestMigrationCleanupInProgress paused resyncing": [],
};

const outcomes: OperationOutcome[] = ["Succeeded", "Failed", "Cancelled"];
const systemEvents = [
  enableMigrationSucceeded,
  enableMigrationFailed,
  initialSeedingCompleted,
  initialSeedingFailed,
  resyncRequiredDetected,
  resyncCompleted,
  resyncFailed,
];

/** Every state the machine can reach from a new item, by any sequence of events (accepted or not). */
function reachableStates(): Map<string, ItemState> {
  const seen = new Map<string, ItemState>([[keyOf(newItemState()), newItemState()]]);
  const queue = [newItemState()];
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
    const results: Result<ItemState | typeof itemRemoved>[] = [
      ...systemEvents.map((event) => event(item)),
      ...itemOperations.map((operation) => startOperation(item, operation)),
      ...itemOperations.flatMap((operation) => outcomes.map((outcome) => completeOperation(item, operation, outcome))),
    ];
    for (const result of results) {
      if (!result.ok || result.value === itemRemoved || seen.has(keyOf(result.value))) continue;
      seen.set(keyOf(result.value), result.value);
      queue.push(result.value);
    }
  }
  return seen;
}

describe("migration item state machine", () => {
  it("reaches exactly the states of the expected table", () => {
    expect([...reachableStates().keys()].sort()).toEqual(Object.keys(expectedAllowed).sort());
  });

  for (const [key, allowed] of Object.entries(expectedAllowed)) {
    for (const operation of itemOperations) {
      const expected = allowed.includes(operation);
      it(`${expected ? "allows" : "refuses"} ${operation} in ${key}`, () => {
        const item = itemFromKey(key);
        expect(keyOf(item)).toBe(key);
        const guard = checkOperation(item, operation);
        expect(guard.ok).toBe(expected);
        if (!guard.ok) {
          expect(guard.error.code).toBe("OperationNotAllowed");
          expect(guard.error.httpStatus).toBe(409);
          expect(guard.error.target).toBe(operation);
          expect(guard.error.message).toMatch(new RegExp(`^${operation} is not allowed now: .{20,}`));
        }
        expect(allowedOperations(item).includes(operation)).toBe(expected);
        expect(startOperation(item, operation).ok).toBe(expected);
      });
    }
  }
});

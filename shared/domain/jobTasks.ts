import { itemOperations } from "./itemState";

/**
 * What each job is called and which tasks it runs, in Site Recovery's words where Site Recovery
 * has them (its job details blade), so an operator who knows the product reads Ferry's jobs at once.
 */
/** A recovery plan's operations: one job runs the item operation of the same name on each of its items. */
export const planOperations = [
  "RecoveryPlanTestMigrate",
  "RecoveryPlanTestMigrateCleanup",
  "RecoveryPlanMigrate",
  "RecoveryPlanComplete",
] as const;
export type PlanOperation = (typeof planOperations)[number];

export function isPlanOperation(operation: string): operation is PlanOperation {
  return (planOperations as readonly string[]).includes(operation);
}

// Every item operation is a job of the same name, plus the jobs that are not item operations.
export const jobOperations = ["EnableMigration", ...itemOperations, "VerifyRecoveryPoint", ...planOperations] as const;
export type JobOperation = (typeof jobOperations)[number];

export const jobDisplayNames: Readonly<Record<JobOperation, string>> = {
  EnableMigration: "Start replication",
  TestMigrate: "Test migration",
  TestMigrateCleanup: "Test migration cleanup",
  Migrate: "Migrate",
  StartResync: "Resynchronize",
  PauseReplication: "Pause replication",
  ResumeReplication: "Resume replication",
  DisableMigration: "Complete migration",
  VerifyRecoveryPoint: "Verify recovery point",
  RecoveryPlanTestMigrate: "Recovery plan test migration",
  RecoveryPlanTestMigrateCleanup: "Recovery plan test migration cleanup",
  RecoveryPlanMigrate: "Recovery plan migration",
  RecoveryPlanComplete: "Recovery plan complete migration",
};

export const taskNames = {
  enable: [
    "Prerequisites check for enabling protection",
    "Identifying the replication target",
    "Enable replication",
    "Starting initial replication",
    "Updating the provider states",
  ],
  testMigrate: [
    "Prerequisites check for test failover",
    "Create test virtual machine",
    "Preparing the virtual machine",
    "Start the virtual machine",
  ],
  testMigrateCleanup: [
    "Prerequisites check for test failover cleanup",
    "Delete the test virtual machine",
    "Release the recovery point",
    "Updating the provider states",
  ],
  migrate: [
    "Prerequisite check",
    "Shut down the virtual machine",
    "Synchronizing the latest changes",
    "Start failover",
    "Start the replica virtual machine",
    "Updating the provider states",
  ],
  resync: ["Prerequisites check for resynchronization", "Start resynchronization", "Updating the provider states"],
  pause: ["Pause replication"],
  resume: ["Resume replication"],
  disable: [
    "Prerequisites check for disabling protection",
    "Disable replication",
    "Delete cache data",
    "Revoke agent credentials",
    "Updating the provider states",
  ],
  verify: ["Read the recovery point", "Compute disk checksums"],
} as const;

/** Options that change which tasks a job will skip (the tasks are listed either way). */
export interface JobPlanOptions {
  /** Migrate only: false means "fail over without shutting the source down". */
  readonly shutdownSource?: boolean;
}

export function taskNamesFor(operation: JobOperation): readonly string[] {
  const lists: Readonly<Record<JobOperation, readonly string[]>> = {
    EnableMigration: taskNames.enable,
    TestMigrate: taskNames.testMigrate,
    TestMigrateCleanup: taskNames.testMigrateCleanup,
    Migrate: taskNames.migrate,
    StartResync: taskNames.resync,
    PauseReplication: taskNames.pause,
    ResumeReplication: taskNames.resume,
    DisableMigration: taskNames.disable,
    VerifyRecoveryPoint: taskNames.verify,
    // A plan's tasks come from the plan (domain/planJobs.ts).
    RecoveryPlanTestMigrate: [],
    RecoveryPlanTestMigrateCleanup: [],
    RecoveryPlanMigrate: [],
    RecoveryPlanComplete: [],
  };
  return lists[operation];
}

/** Tasks that a job's options rule out from the start, each with the reason shown to the operator. */
export function plannedSkips(operation: JobOperation, options: JobPlanOptions): ReadonlyMap<string, string> {
  if (operation === "Migrate" && options.shutdownSource === false) {
    // Without a shutdown there is no final state to synchronize: failover uses the latest point.
    const reason =
      "Skipped: the source was not shut down, " +
      "so the migration fails over from the latest recovery point and may lose recent changes.";
    return new Map([
      ["Shut down the virtual machine", reason],
      ["Synchronizing the latest changes", reason],
    ]);
  }
  return new Map();
}

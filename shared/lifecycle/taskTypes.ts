import type { RecoveryPointChoice } from "../domain/recoveryPoints";

/** What an operator asked for when starting an operation; the job's tasks read it. */
export interface OperationParameters {
  network?: string;
  subnet?: string;
  recoveryPoint?: RecoveryPointChoice;
  shutdownSource?: boolean;
  recoveryPointId?: string;
  /** How long a migration waits for the agent's shutdown and final changes. */
  finalSyncTimeoutSeconds?: number;
}

/** Operations that can be cancelled safely: what they created is removed and replication goes on. */
export const cancellableOperations: readonly string[] = ["TestMigrate", "Migrate"];

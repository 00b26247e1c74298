import type { ReplicatingServer } from "../../client";
import type { ItemOperation } from "../../shared/domain/itemState";
import { mayAct, type OperatorRole } from "../../shared/domain/operatorRoles";

/** The operations' names as operators see them, in the order their buttons appear. */
export const operationNames: Readonly<Record<ItemOperation, string>> = {
  TestMigrate: "Test migrate",
  TestMigrateCleanup: "Clean up test migration",
  Migrate: "Migrate",
  DisableMigration: "Complete migration",
  StartResync: "Resync",
  PauseReplication: "Pause replication",
  ResumeReplication: "Resume replication",
};

const order = Object.keys(operationNames) as ItemOperation[];

/** The buttons a server shows: what its role may do and the item allows now, and nothing else. */
export function shownOperations(role: OperatorRole, item: Pick<ReplicatingServer, "allowedOperations">) {
  if (!mayAct(role)) return [];
  return order.filter((operation) => item.allowedOperations.includes(operation));
}

/** What each operation asks before it starts: the API's own fields. */
export const operationFields: Readonly<Record<ItemOperation, readonly ("network" | "recoveryPoint" | "shutdown")[]>> = {
  TestMigrate: ["network", "recoveryPoint"],
  TestMigrateCleanup: [],
  Migrate: ["shutdown", "recoveryPoint"],
  DisableMigration: [],
  StartResync: [],
  PauseReplication: [],
  ResumeReplication: [],
};

/** One line of what each operation does, shown in its dialog. */
export const operationHelp: Readonly<Record<ItemOperation, string>> = {
  TestMigrate:
    "Creates a test VM named after the server with -Test, in the network you choose. The source keeps running.",
  TestMigrateCleanup: "Deletes the test VM and releases its recovery point.",
  Migrate: "Fails the server over to Azure. By default the source is shut down first and its last changes replicated.",
  DisableMigration: "Stops replication and removes its data and the agent's credentials. Created VMs stay.",
  StartResync: "Reads the whole source again and replaces the replica's contents.",
  PauseReplication: "The agent stops sending changes until replication is resumed.",
  ResumeReplication: "The agent sends changes again.",
};

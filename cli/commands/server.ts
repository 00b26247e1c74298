import type { Command } from "commander";
import { examples, lazy } from "../commandKit";

const load = () => import("../actions/server.js");
const operations = () => import("../actions/serverOperations.js");
const pointHelp = "Latest, LatestProcessed, LatestApplicationConsistent, LatestCrashConsistent or a point id";

/** The operations that take no options beyond --no-wait. */
const plainOperations = [
  ["test-migrate-cleanup", "Clean up a test migration: delete the test VM", "testMigrateCleanup"],
  ["complete", "Complete a migration: stop replicating and remove its state (the migrated VM stays)", "complete"],
  ["resync", "Resynchronize a server's disks with its source", "resync"],
  ["pause", "Pause replication", "pause"],
  ["resume", "Resume a paused replication", "resume"],
] as const;

function viewCommands(server: Command): void {
  examples(
    server
      .command("list")
      .description(
        "The replicating servers grid: state, test state, health, seeded %, RPO, last point, allowed operations",
      )
      .action(lazy(load, (m) => m.list)),
    "ferry server list",
  );
  examples(
    server
      .command("show")
      .description("A replicating server: state, health errors and what to do, disks, figures")
      .argument("<server>", "host name, VM name or id")
      .action(lazy(load, (m) => m.show)),
    "ferry server show web01",
  );
  examples(
    server
      .command("watch")
      .description("Follow a server live: initial replication with speed and ETA, state and health changes")
      .argument("<server>", "host name, VM name or id")
      .option("--until <state>", "stop once the server reaches this state, e.g. Replicating")
      .action(lazy(load, (m) => m.watch)),
    "ferry server watch web01 --until Replicating",
  );
}

function updateCommand(server: Command): void {
  examples(
    server
      .command("update")
      .description("Change target settings (until replication starts)")
      .argument("<server>", "host name, VM name or id")
      .option("--vm-size <size>", "auto or an Azure VM size")
      .option("--network <vnet>", "the target virtual network")
      .option("--subnet <subnet>", "the target subnet")
      .option("--resource-group <name>", "the target resource group")
      .action(lazy(load, (m) => m.update)),
    "ferry server update web01 --vm-size Standard_D4s_v5",
  );
}

function operationCommands(server: Command): void {
  examples(
    server
      .command("test-migrate")
      .description("Test migration: create <name>-Test from a recovery point; the source keeps replicating")
      .argument("<server>", "host name, VM name or id")
      .requiredOption("--network <vnet>", "the (non-production) network for the test VM")
      .option("--subnet <subnet>", "its subnet")
      .option("--recovery-point <point>", pointHelp)
      .option("--no-wait", "print the job and return at once")
      .action(lazy(operations, (m) => m.testMigrate)),
    "ferry server test-migrate web01 --network vnet-test",
  );
  examples(
    server
      .command("migrate")
      .description("Migrate: shut the source down, replicate its last changes, and fail over with no data loss")
      .argument("<server>", "host name, VM name or id")
      .option("--no-shutdown", "leave the source running and fail over from the latest point")
      .option("--recovery-point <point>", pointHelp)
      .option("--no-wait", "print the job and return at once")
      .action(lazy(operations, (m) => m.migrate)),
    "ferry server migrate web01",
  );
  for (const [name, description, handler] of plainOperations) {
    examples(
      server
        .command(name)
        .description(description)
        .argument("<server>", "host name, VM name or id")
        .option("--no-wait", "print the job and return at once")
        .action(lazy(operations, (m) => m[handler])),
      `ferry server ${name} web01`,
    );
  }
}

export function serverCommands(program: Command): void {
  const server = examples(
    program.command("server").description("Replicating servers: watch them, test-migrate, migrate"),
    "ferry server list",
  );
  viewCommands(server);
  updateCommand(server);
  operationCommands(server);
}

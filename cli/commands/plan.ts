import type { Command } from "commander";
import { collect, examples, lazy } from "../commandKit";

const load = () => import("../actions/plan.js");

function withWait(command: Command): Command {
  return command.option("--no-wait", "print the job and return at once");
}

/** `ferry plan ...`: recovery plans, an application's servers migrated group by group. */
export function planCommands(program: Command): void {
  const plan = examples(
    program.command("plan").description("Recovery plans: servers in ordered groups, with manual steps and webhooks"),
    'ferry plan create --name shop --group "db:db01" --group "web:web01,web02" --manual-after db="Check the database"',
  );
  examples(
    plan
      .command("create")
      .description("Create a plan from groups (servers by name or id) or from a JSON file; prints its webhook secret")
      .option("--name <name>", "the plan's name")
      .option("--description <text>", "what the plan is for")
      .option("--group <name:servers>", "a group and its servers, comma-separated (repeat, in order)", collect, [])
      .option("--manual-after <group=instructions>", "a manual step after a group (repeat)", collect, [])
      .option("--webhook-after <group=url>", "a webhook called after a group (repeat)", collect, [])
      .option("--file <plan.json>", "the plan as the API takes it (name, groups, actions); servers by name or id")
      .action(lazy(load, (m) => m.create)),
    'ferry plan create --name shop --group "db:db01" --group "web:web01" --webhook-after db=https://hooks.example/db',
    "ferry plan create --file shop-plan.json",
  );
  examples(
    plan
      .command("list")
      .description("List recovery plans")
      .action(lazy(load, (m) => m.list)),
    "ferry plan list",
  );
  examples(
    plan
      .command("show")
      .description("Show a plan: its groups, their servers and states, and its actions")
      .argument("<plan>", "plan name or id")
      .action(lazy(load, (m) => m.show)),
    "ferry plan show shop",
  );
  examples(
    withWait(
      plan
        .command("test-migrate")
        .description("Drill the plan: test VMs group by group, the source servers keep running")
        .argument("<plan>", "plan name or id")
        .requiredOption("--network <network>", "the (isolated) network for the test VMs")
        .option("--subnet <subnet>", "its subnet"),
    ).action(lazy(load, (m) => m.testMigrate)),
    "ferry plan test-migrate shop --network vnet-drill",
  );
  examples(
    withWait(
      plan
        .command("test-migrate-cleanup")
        .description("Remove the plan's test VMs, from the last group back to the first")
        .argument("<plan>", "plan name or id"),
    ).action(lazy(load, (m) => m.testMigrateCleanup)),
    "ferry plan test-migrate-cleanup shop",
  );
  examples(
    withWait(
      plan
        .command("migrate")
        .description("Migrate the plan group by group, each source shut down in its turn")
        .argument("<plan>", "plan name or id")
        .option("--no-shutdown", "fail over from the latest points without shutting the sources down")
        .option("--start-at <time>", "start the cutover at this ISO 8601 time (the job waits until then)")
        .option("--max-downtime <seconds>", "refuse when an estimated final sync is longer"),
    ).action(lazy(load, (m) => m.migrate)),
    "ferry plan migrate shop --start-at 2026-06-01T22:00:00Z --max-downtime 900",
  );
  examples(
    withWait(
      plan
        .command("complete")
        .description("Complete every migrated server's migration (stop replication)")
        .argument("<plan>", "plan name or id"),
    ).action(lazy(load, (m) => m.complete)),
    "ferry plan complete shop",
  );
  examples(
    plan
      .command("delete")
      .description("Delete a plan (its jobs stay)")
      .argument("<plan>", "plan name or id")
      .action(lazy(load, (m) => m.remove)),
    "ferry plan delete shop",
  );
}

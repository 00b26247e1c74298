import type { Command } from "commander";
import { examples, lazy, wholeNumber } from "../commandKit";

const load = () => import("../actions/policy.js");

export function policyCommands(program: Command): void {
  const policy = examples(
    program.command("policy").description("Replication policies: RPO threshold, retention, point frequency"),
    "ferry policy list",
  );
  examples(
    policy
      .command("create")
      .description("Create a replication policy; unset figures take the defaults shown")
      .requiredOption("--name <name>", "the policy's name")
      .option("--rpo-threshold-minutes <minutes>", "alert when the RPO exceeds this (default 60)", wholeNumber)
      .option("--retention-hours <hours>", "how long recovery points are kept (default 72)", wholeNumber)
      .option("--crash-frequency-minutes <minutes>", "a crash-consistent point this often (default 5)", wholeNumber)
      .option(
        "--app-frequency-minutes <minutes>",
        "an app-consistent point this often, 0 = off (default 240)",
        wholeNumber,
      )
      .action(lazy(load, (m) => m.create)),
    "ferry policy create --name hourly --retention-hours 24 --app-frequency-minutes 60",
  );
  examples(
    policy
      .command("list")
      .description("List replication policies")
      .action(lazy(load, (m) => m.list)),
    "ferry policy list",
  );
}

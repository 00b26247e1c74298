import { Option, type Command } from "commander";
import { examples, lazy } from "../commandKit";

const load = () => import("../actions/key.js");

export function keyCommands(program: Command): void {
  const key = examples(
    program.command("key").description("The project's operator keys (needs an Owner key)"),
    "ferry key list",
  );
  examples(
    key
      .command("create")
      .description("Create an operator key; it is shown once")
      .requiredOption("--name <name>", "what the key is for")
      .addOption(
        new Option("--role <role>", "what it may do").choices(["Reader", "Contributor", "Owner"]).makeOptionMandatory(),
      )
      .option("--expires <when>", "an ISO 8601 time, or a duration such as 30d or 12h")
      .action(lazy(load, (m) => m.create)),
    "ferry key create --name ci --role Contributor --expires 90d",
  );
  examples(
    key
      .command("list")
      .description("List operator keys (never their secret)")
      .action(lazy(load, (m) => m.list)),
    "ferry key list",
  );
  examples(
    key
      .command("delete")
      .description("Delete an operator key")
      .argument("<key>", "name or id")
      .action(lazy(load, (m) => m.remove)),
    "ferry key delete ci",
  );
}

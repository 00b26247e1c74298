import { Command, Option } from "commander";
import { applianceCommands } from "./commands/appliance";
import { jobCommands } from "./commands/job";
import { keyCommands } from "./commands/key";
import { loginCommand } from "./commands/login";
import { machineCommands } from "./commands/machine";
import { planCommands } from "./commands/plan";
import { pointCommands } from "./commands/point";
import { policyCommands } from "./commands/policy";
import { projectCommands } from "./commands/project";
import { replicateCommand } from "./commands/replicate";
import { serverCommands } from "./commands/server";
import { vmCommands } from "./commands/vm";
import { deferRequiredOptions, examples } from "./commandKit";

const overview = [
  "Drive Ferry from a terminal or a script: projects, appliances, discovered machines, replication, " +
    "test migration, migration and the jobs they run.",
  "Names work wherever an id does: a server by its host or VM name, a machine by its hostname, an appliance, " +
    "policy, VM or project by its name. A name that matches more than one thing is refused with the candidates.",
  "The server and credential come from the profile `ferry login` saved; FERRY_SERVER and FERRY_OPERATOR_KEY " +
    "override it. Operations wait for their job and show its tasks; --no-wait returns at once, and Ctrl-C while " +
    "waiting only stops watching (the job goes on).",
  "Exit codes: 0 done, 1 the API refused (or a name matched nothing, or the server could not be reached), " +
    "2 usage error or Ferry not set up, 3 the job ended Failed or Cancelled, 130 stopped watching with Ctrl-C.",
].join("\n\n");

/** The whole command tree; actions load their code only when they run. */
export function buildProgram(version: string): Command {
  const program = new Command("ferry")
    .description(overview)
    .version(version, "-V, --version")
    .showSuggestionAfterError(true)
    .showHelpAfterError("(add --help for usage)")
    .exitOverride()
    .addOption(
      new Option("-o, --output <format>", "table (default on a terminal) or json (default when piped)").choices([
        "table",
        "json",
      ]),
    )
    .option("--profile <name>", "the saved profile to use (FERRY_PROFILE; default: default)")
    .option("--project <project>", "project name or id (FERRY_PROJECT; default: ferry project use)");
  for (const add of [
    loginCommand,
    projectCommands,
    applianceCommands,
    machineCommands,
    policyCommands,
    replicateCommand,
    serverCommands,
    pointCommands,
    planCommands,
    jobCommands,
    vmCommands,
    keyCommands,
  ]) {
    add(program);
  }
  examples(program, "ferry login --server http://127.0.0.1:7071 --key KEY", "ferry server list -o json");
  deferRequiredOptions(program);
  return program;
}

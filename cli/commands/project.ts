import type { Command } from "commander";
import { examples, lazy } from "../commandKit";

const load = () => import("../actions/project.js");

export function projectCommands(program: Command): void {
  const project = examples(
    program.command("project").description("Projects: create, list, show, and pick the default"),
    "ferry project list",
  );
  examples(
    project
      .command("create")
      .description("Create a project (the target region is fixed once resources are created)")
      .requiredOption("--name <name>", "the project's name")
      .requiredOption("--geography <geography>", "where its metadata lives, e.g. Europe")
      .requiredOption("--target-region <region>", "the Azure region servers migrate to, e.g. westeurope")
      .action(lazy(load, (m) => m.create)),
    "ferry project create --name demo --geography Europe --target-region westeurope",
  );
  examples(
    project
      .command("list")
      .description("List projects")
      .action(lazy(load, (m) => m.list)),
    "ferry project list",
  );
  examples(
    project
      .command("show")
      .description("Show a project (default: the current one)")
      .argument("[project]", "name or id")
      .action(lazy(load, (m) => m.show)),
    "ferry project show demo",
  );
  examples(
    project
      .command("use")
      .description("Make a project the profile's default --project")
      .argument("<project>", "name or id")
      .action(lazy(load, (m) => m.use)),
    "ferry project use demo",
  );
}

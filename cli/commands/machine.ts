import type { Command } from "commander";
import { examples, lazy } from "../commandKit";

const load = () => import("../actions/machine.js");

export function machineCommands(program: Command): void {
  const machine = examples(
    program.command("machine").description("Discovered servers: the machines whose agent registered"),
    "ferry machine list",
  );
  examples(
    machine
      .command("list")
      .description("List discovered servers")
      .action(lazy(load, (m) => m.list)),
    "ferry machine list",
  );
  examples(
    machine
      .command("show")
      .description("Show a discovered server: OS, CPUs, memory, disks, NICs")
      .argument("<machine>", "hostname or id")
      .action(lazy(load, (m) => m.show)),
    "ferry machine show web01",
  );
}

import type { Command } from "commander";
import { examples, lazy } from "../commandKit";

const load = () => import("../actions/appliance.js");

export function applianceCommands(program: Command): void {
  const appliance = examples(
    program.command("appliance").description("The replication appliance: key, register, finalize"),
    "ferry appliance register --name appliance1 --passphrase-file passphrase",
  );
  examples(
    appliance
      .command("key")
      .description("Generate a registration key for an appliance (single use, valid 5 days)")
      .action(lazy(load, (m) => m.key)),
    "ferry appliance key",
  );
  examples(
    appliance
      .command("register")
      .description("Register an appliance with a registration key; its passphrase is written to a file (0600)")
      .option(
        "--key <key>",
        "the registration key from `ferry appliance key` (default: a new one, for the current project)",
      )
      .requiredOption("--name <name>", "the appliance's name")
      .requiredOption("--passphrase-file <file>", "where to write the passphrase agents register with")
      .option("--server <url>", "the Ferry server (default: FERRY_SERVER or the profile's)")
      .action(lazy(load, (m) => m.register)),
    "ferry appliance register --name appliance1 --passphrase-file passphrase",
    "ferry appliance register --key rk_... --name appliance1 --passphrase-file passphrase --server http://ferry-host:7071",
  );
  examples(
    appliance
      .command("finalize")
      .description("Finalize an appliance's registration, so agents can register with its passphrase")
      .argument("<appliance>", "name or id")
      .action(lazy(load, (m) => m.finalize)),
    "ferry appliance finalize appliance1",
  );
  examples(
    appliance
      .command("rotate-passphrase")
      .description("Give an appliance a new passphrase (agents registered already keep working)")
      .argument("<appliance>", "name or id")
      .requiredOption("--passphrase-file <file>", "where to write the new passphrase (0600)")
      .action(lazy(load, (m) => m.rotatePassphrase)),
    "ferry appliance rotate-passphrase appliance1 --passphrase-file passphrase",
  );
  examples(
    appliance
      .command("list")
      .description("List appliances")
      .action(lazy(load, (m) => m.list)),
    "ferry appliance list",
  );
}

import type { Command } from "commander";
import { collect, examples, lazy } from "../commandKit";

export function replicateCommand(program: Command): void {
  examples(
    program
      .command("replicate")
      .description("Start replicating a discovered server into Azure (waits for the Start replication job)")
      .argument("<machine>", "hostname or id of the discovered server")
      .requiredOption("--policy <policy>", "replication policy name or id")
      .requiredOption("--resource-group <name>", "the target resource group")
      .requiredOption("--network <vnet>", "the target virtual network")
      .requiredOption("--subnet <subnet>", "the target subnet")
      .option("--vm-size <size>", "auto (the closest match) or an Azure size such as Standard_D2s_v5")
      .option("--vm-name <name>", "the target VM's name (default: the host name)")
      .option("--os-disk <disk>", "the disk that boots (default: the boot disk the agent reported)")
      .option("--exclude-disk <disk>", "leave a disk out (repeatable)", collect)
      .option(
        "--disk-type <disk=type>",
        "Standard_LRS, StandardSSD_LRS or Premium_LRS for a disk (repeatable)",
        collect,
      )
      .option("--availability-set <name>", "place the VM in an availability set")
      .option("--hybrid-benefit", "use Azure Hybrid Benefit")
      .option("--no-wait", "print the job and return at once")
      .action(
        lazy(
          () => import("../actions/replicate.js"),
          (m) => m.replicate,
        ),
      ),
    "ferry replicate web01 --policy default --resource-group rg-migrated --network vnet-prod --subnet default",
    "ferry replicate web01 --policy default --resource-group rg --network vnet --subnet default " +
      "--exclude-disk disk1 --disk-type disk0=Premium_LRS",
  );
}

import type { Command } from "commander";
import { examples, lazy } from "../commandKit";

const load = () => import("../actions/vm.js");

export function vmCommands(program: Command): void {
  const vm = examples(
    program.command("vm").description("The VMs test migrations and migrations created"),
    "ferry vm list",
  );
  examples(
    vm
      .command("list")
      .description("List created VMs")
      .action(lazy(load, (m) => m.list)),
    "ferry vm list",
  );
  examples(
    vm
      .command("show")
      .description("Show a VM and its disks")
      .argument("<vm>", "name or id")
      .action(lazy(load, (m) => m.show)),
    "ferry vm show web01-Test",
  );
  examples(
    vm
      .command("download-disk")
      .description("Download a VM disk as a fixed VHD; run it again to resume an interrupted download")
      .argument("<vm>", "name or id")
      .requiredOption("--disk <disk>", "the disk id")
      .requiredOption("--file <file>", "where to write the VHD")
      .action(lazy(load, (m) => m.downloadDisk)),
    "ferry vm download-disk web01 --disk disk0 --file web01-disk0.vhd",
  );
}

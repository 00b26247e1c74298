import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../cli/program";

/** The command names and options scripts are promised (the contract), written out by hand on purpose. */
const contract: Record<string, string[]> = {
  login: ["--server", "--key", "--entra", "--profile"],
  "project create": ["--name", "--geography", "--target-region"],
  "project list": [],
  "project show": [],
  "project use": [],
  "appliance key": [],
  "appliance register": ["--key", "--name", "--passphrase-file"],
  "appliance finalize": [],
  "appliance rotate-passphrase": ["--passphrase-file"],
  "appliance list": [],
  "machine list": [],
  "machine show": [],
  "policy create": [
    "--name",
    "--rpo-threshold-minutes",
    "--retention-hours",
    "--crash-frequency-minutes",
    "--app-frequency-minutes",
  ],
  "policy list": [],
  replicate: [
    "--policy",
    "--resource-group",
    "--network",
    "--subnet",
    "--vm-size",
    "--os-disk",
    "--exclude-disk",
    "--disk-type",
  ],
  "server list": [],
  "server show": [],
  "server watch": [],
  "server update": ["--vm-size", "--network", "--subnet", "--resource-group"],
  "server test-migrate": ["--network", "--subnet", "--recovery-point", "--no-wait"],
  "server test-migrate-cleanup": ["--no-wait"],
  "server migrate": ["--no-shutdown", "--recovery-point", "--no-wait"],
  "server complete": ["--no-wait"],
  "server resync": ["--no-wait"],
  "server pause": ["--no-wait"],
  "server resume": ["--no-wait"],
  "point list": [],
  "point verify": ["--no-wait"],
  "job list": ["--server", "--state"],
  "job show": [],
  "job watch": [],
  "job cancel": [],
  "vm list": [],
  "vm show": [],
  "vm download-disk": ["--disk", "--file"],
  "key create": ["--name", "--role", "--expires"],
  "key list": [],
  "key delete": [],
};

function find(program: Command, path: string): Command | undefined {
  return path
    .split(" ")
    .reduce<Command | undefined>((at, name) => at?.commands.find((c) => c.name() === name), program);
}

/** Every option a command takes: its own and those of the commands above it (-o, --profile, --project). */
function flags(command: Command | null): string[] {
  return command ? [...command.options.map((o) => o.long ?? ""), ...flags(command.parent)] : [];
}

function helpOf(command: Command): string {
  let text = "";
  command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  command.outputHelp();
  return text;
}

function everyCommand(command: Command): Command[] {
  return [command, ...command.commands.flatMap(everyCommand)];
}

describe("the ferry command tree", () => {
  const program = buildProgram("0.0.0");

  it("has every command and option of the contract, named as the contract names them", () => {
    for (const [path, options] of Object.entries(contract)) {
      const command = find(program, path);
      expect(command, path).toBeDefined();
      expect(flags(command!), path).toEqual(expect.arrayContaining([...options, "--output", "--project"]));
    }
  });

  it("shows an example in the help of every command", () => {
    for (const command of everyCommand(program).filter((c) => c.name() !== "help")) {
      expect(helpOf(command), command.name()).toMatch(/\nExamples?:\n {2}\$ ferry /);
    }
  });
});

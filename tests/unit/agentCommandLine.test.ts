import { describe, expect, it } from "vitest";
import { callerDirectory, parseAgentCommand, programName, usage, UsageError } from "../../agent/commandLine";

const base = "/home/operator/work";
const register = ["register", "--server", "https://ferry.example/api", "--passphrase-file", "pass.txt"];

function usageProblem(argv: string[]): string {
  try {
    parseAgentCommand(argv, base);
  } catch (error) {
    if (error instanceof UsageError) return error.message.split("\n")[0];
    throw error;
  }
  throw new Error(`${argv.join(" ")} was accepted`);
}

describe("the agent's command line", () => {
  it("reads every register option, relative paths taken from the caller's directory", () => {
    const command = parseAgentCommand(
      [
        ...register,
        "--state-dir",
        "state",
        "--disk",
        "/dev/sda",
        "--disk=images/data.img",
        "--boot-disk",
        "/dev/sda",
        "--hostname",
        "web-1",
        "--shutdown-command",
        "systemctl poweroff",
        "--freeze-command",
        "fsfreeze -f /data",
        "--thaw-command",
        "fsfreeze -u /data",
        "--max-bytes-per-second",
        "5000000",
      ],
      base,
    );
    expect(command).toEqual({
      name: "register",
      options: {
        server: "https://ferry.example/api",
        passphraseFile: "/home/operator/work/pass.txt",
        stateDir: "/home/operator/work/state",
        disks: ["/dev/sda", "/home/operator/work/images/data.img"],
        bootDisk: "/dev/sda",
        hostname: "web-1",
        shutdownCommand: "systemctl poweroff",
        freezeCommand: "fsfreeze -f /data",
        thawCommand: "fsfreeze -u /data",
        maxBytesPerSecond: 5_000_000,
      },
    });
  });

  it("keeps --disk in the order given, each one a disk", () => {
    const command = parseAgentCommand([...register, "--state-dir", "s", "--disk", "b", "--disk", "a"], base);
    expect(command.name === "register" && command.options.disks).toEqual([
      "/home/operator/work/b",
      "/home/operator/work/a",
    ]);
  });

  it("reads run and status with their state directory", () => {
    expect(parseAgentCommand(["run", "--state-dir", "../state"], base)).toEqual({
      name: "run",
      stateDir: "/home/operator/state",
    });
    expect(parseAgentCommand(["status", "--state-dir", "/var/lib/ferry"], base)).toEqual({
      name: "status",
      stateDir: "/var/lib/ferry",
      json: false,
    });
    expect(parseAgentCommand(["status", "--state-dir", "s", "--json"], base)).toMatchObject({ json: true });
  });

  it("answers --help with or without a command, whatever else is missing", () => {
    expect(parseAgentCommand(["--help"], base)).toEqual({ name: "help" });
    expect(parseAgentCommand(["register", "--help"], base)).toEqual({ name: "help" });
    expect(parseAgentCommand(["run", "-h"], base)).toEqual({ name: "help" });
  });

  it("refuses an unknown option, naming it", () => {
    expect(usageProblem(["run", "--state-dir", "s", "--sate-dir", "t"])).toBe("Unknown option --sate-dir for run.");
    expect(usageProblem(["status", "--state-dir", "s", "--disk", "d"])).toBe("Unknown option --disk for status.");
  });

  it("refuses an option without its value, even when the next option follows", () => {
    expect(usageProblem(["run", "--state-dir"])).toBe("--state-dir needs a value.");
    expect(usageProblem(["register", "--server", "--state-dir", "s", "--disk", "d"])).toBe("--server needs a value.");
  });

  it("refuses a missing required option, a missing disk, a lone freeze hook and a bad bandwidth cap", () => {
    expect(usageProblem(["run"])).toBe("--state-dir is required.");
    expect(usageProblem([...register, "--state-dir", "s"])).toBe("At least one --disk is required.");
    expect(usageProblem(["register", "--state-dir", "s", "--disk", "d"])).toBe("--server is required.");
    const disk = [...register, "--state-dir", "s", "--disk", "d"];
    expect(usageProblem([...disk, "--freeze-command", "sync"])).toBe(
      "--freeze-command and --thaw-command go together.",
    );
    expect(usageProblem([...disk, "--max-bytes-per-second", "1.5"])).toBe(
      '--max-bytes-per-second must be a positive whole number, not "1.5".',
    );
  });

  it("refuses an unknown command, no command and stray arguments", () => {
    expect(usageProblem(["regster"])).toBe('Unknown command "regster".');
    expect(usageProblem([])).toBe("Give a command: register, run or status.");
    expect(usageProblem(["run", "--state-dir", "s", "extra"])).toBe('Unexpected argument "extra" for run.');
  });

  it("tells the usage under the name the agent was started by", () => {
    expect(programName({ npm_lifecycle_event: "agent" })).toBe("npm run agent --");
    expect(programName({ npm_lifecycle_event: "test" })).toBe("ferry-agent");
    expect(programName({})).toBe("ferry-agent");
    expect(usage("ferry-agent")).toMatch(/^Usage:\n {2}ferry-agent register --server ADDRESS/);
    expect(usage("npm run agent --")).toContain("\n  npm run agent -- run --state-dir DIR\n");
  });

  it("takes the appliance's address as its root or its API base, and calls the API base", () => {
    const server = (address: string) => {
      const command = parseAgentCommand(
        ["register", "--server", address, "--passphrase-file", "p", "--state-dir", "s", "--disk", "d"],
        base,
      );
      return command.name === "register" ? command.options.server : undefined;
    };
    expect(server("http://10.0.0.5:7071")).toBe("http://10.0.0.5:7071/api");
    expect(server("http://10.0.0.5:7071/")).toBe("http://10.0.0.5:7071/api");
    expect(server("http://10.0.0.5:7071/api")).toBe("http://10.0.0.5:7071/api");
    expect(server("https://ferry.example/api/")).toBe("https://ferry.example/api");
    expect(server("ferry.example:7071")).toBe("http://ferry.example:7071/api");
    expect(server("https://gateway.example/ferry")).toBe("https://gateway.example/ferry/api");
    expect(
      usageProblem([
        "register",
        "--server",
        "ftp://ferry.example",
        "--passphrase-file",
        "p",
        "--state-dir",
        "s",
        "--disk",
        "d",
      ]),
    ).toMatch(/^--server ftp:\/\/ferry\.example is not an address: .*http:\/\/ or https:\/\//);
  });
});

describe("the directory relative paths start from", () => {
  it("is INIT_CWD under `npm run agent`, which runs in the package root", () => {
    expect(callerDirectory({ npm_lifecycle_event: "agent", INIT_CWD: "/home/operator" }, "/repo")).toBe(
      "/home/operator",
    );
  });

  it("is the working directory otherwise, even with an INIT_CWD inherited from another npm script", () => {
    expect(callerDirectory({ npm_lifecycle_event: "test", INIT_CWD: "/repo" }, "/tmp/agent")).toBe("/tmp/agent");
    expect(callerDirectory({ INIT_CWD: "/repo" }, "/tmp/agent")).toBe("/tmp/agent");
    expect(callerDirectory({}, "/tmp/agent")).toBe("/tmp/agent");
  });
});

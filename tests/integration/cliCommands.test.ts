// The `ferry` bin against a real host: names and their ambiguity, usage errors and their exit
// codes, the API's refusals as `error <Code>: <message>`, and an unreachable server.
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { machineSchema } from "../../shared/api/machines";
import { projectSchema } from "../../shared/api/projects";
import { removeTempDirs, tempDir } from "../support/agentCli";
import { facts, registerMachine, setUpProject, startFerry, type RunningFerry } from "../support/ferryApi";
import { FerryCli } from "../support/ferryCli";

let ferry: RunningFerry;
let cli: FerryCli;
let projectId: string;
const machineIds: string[] = [];

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"));
  const project = await setUpProject(ferry.api, "names");
  projectId = project.projectId;
  for (const [i, hostname] of ["dup", "dup", "Unique1"].entries()) {
    // Two machines may share a host name; their hardware ids tell them apart.
    const machine = { ...facts(hostname), biosId: `4c4c4544-0000-1000-8000-00000000000${i}` };
    machineIds.push((await registerMachine(ferry.api, project.passphrase, machine)).machineId);
  }
  const { FERRY_OPERATOR_KEY: _key, FERRY_SERVER: _server, FERRY_PROJECT: _project, ...env } = process.env;
  cli = new FerryCli({ ...env, FERRY_CONFIG_DIR: path.join(tempDir("ferry-cli-"), "config") });
  const login = await cli.run(["login", "--server", `${ferry.api.origin}/api/`, "--key", ferry.api.operatorKey]);
  expect(login.code, login.stderr).toBe(0);
});

afterAll(async () => {
  await ferry?.stop();
  removeTempDirs();
});

describe("names wherever ids go", () => {
  it("finds a project by name with --project, and remembers it with project use", async () => {
    const machines = await cli.json(z.array(machineSchema), ["machine", "list", "--project", "names"]);
    expect(machines.map((m) => m.id).sort()).toEqual([...machineIds].sort());
    expect((await cli.json(projectSchema, ["project", "use", "names"])).id).toBe(projectId);
    expect((await cli.json(projectSchema, ["project", "show"])).name).toBe("names");
  });

  it("finds a machine by hostname in any case, or by id", async () => {
    expect((await cli.json(machineSchema, ["machine", "show", "unique1"])).id).toBe(machineIds[2]);
    expect((await cli.json(machineSchema, ["machine", "show", machineIds[0]!])).hostname).toBe("dup");
  });

  it("refuses an ambiguous name with exit 1, listing each candidate's id", async () => {
    const result = await cli.run(["machine", "show", "dup"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^error AmbiguousName: "dup" names 2 machines: /);
    for (const id of machineIds.slice(0, 2)) expect(result.stderr).toContain(id);
  });

  it("refuses a name that matches nothing, saying what there is", async () => {
    const result = await cli.run([
      "replicate",
      "nope",
      "--policy",
      "default",
      "--resource-group",
      "rg",
      "--network",
      "v",
      "--subnet",
      "s",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error NotFound: No machine is named "nope"; there are: dup \(mch_/);
  });
});

describe("errors and exit codes", () => {
  it("prints the API's refusal as error <Code>: <message> with its target, exit 1", async () => {
    const result = await cli.run(["policy", "create", "--name", "bad name"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error InvalidInput: name: must be .*\n {2}target: name\n$/);
  });

  it("suggests the command or option meant, exit 2", async () => {
    const command = await cli.run(["servr", "list"]);
    expect([command.code, command.stderr]).toEqual([2, expect.stringContaining("(Did you mean server?)")]);
    const option = await cli.run(["replicate", "dup", "--polcy", "default"]);
    expect([option.code, option.stderr]).toEqual([2, expect.stringContaining("(Did you mean --policy?)")]);
    const missing = await cli.run(["replicate", "dup", "--policy", "default"]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining("required option '--resource-group")]);
  });

  it("says how to set Ferry up when there is no profile, exit 2", async () => {
    const bare = new FerryCli({ ...cli.env, FERRY_CONFIG_DIR: path.join(tempDir("ferry-cli-"), "none") });
    const result = await bare.run(["server", "list"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("ferry login --server URL --key KEY");
  });

  it("names the URL and what to check when the server cannot be reached", async () => {
    const server = `http://127.0.0.1:${await closedPort()}`;
    const result = await new FerryCli({ ...cli.env, FERRY_SERVER: server }).run(["project", "list"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error Unreachable: Cannot reach ${server}/api/projects: connection refused`);
    expect(result.stderr).toContain("FERRY_SERVER");
  });

  it("refuses a wrong key with the way to fix it", async () => {
    const result = await new FerryCli({ ...cli.env, FERRY_OPERATOR_KEY: "not-the-key" }).run(["project", "list"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error Unauthorized: .*\nCheck the operator key/);
  });

  it("answers operator-key commands with the API's clean 404 until the API serves them", async () => {
    const result = await cli.run(["key", "list"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error NotFound: /);
  });

  it("shows help with an example for every command", async () => {
    const help = await cli.run(["server", "test-migrate", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("$ ferry server test-migrate web01 --network vnet-test");
  });
});

/** A port nothing listens on: one the OS just handed out, closed again. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

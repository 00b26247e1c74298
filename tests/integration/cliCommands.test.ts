// The `ferry` bin against a real host: names and their ambiguity, usage errors and their exit
// codes, the API's refusals as `error <Code>: <message>`, an unreachable server, and operator keys.
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import * as z from "zod";
import { machineSchema } from "../../shared/api/machines";
import { createdOperatorKeySchema, operatorKeySchema } from "../../shared/api/operatorKeys";
import { policySchema } from "../../shared/api/policies";
import { projectSchema } from "../../shared/api/projects";
import { replicatingServerSchema } from "../../shared/api/replications";
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

  it("shows help with an example for every command", async () => {
    const help = await cli.run(["server", "test-migrate", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("$ ferry server test-migrate web01 --network vnet-test");
  });
});

describe("operator keys", () => {
  const keyList = z.array(operatorKeySchema);
  const inProject = ["--project", "names"];

  it("creates a key of each role, shown once in the credential form, with an expiry when asked", async () => {
    const before = Date.now();
    for (const role of ["Reader", "Contributor", "Owner"] as const) {
      const args = ["key", "create", "--name", `made-${role}`, "--role", role, ...inProject];
      const created = await cli.json(
        createdOperatorKeySchema.strict(),
        role === "Owner" ? [...args, "--expires", "2d"] : args,
      );
      expect([created.name, created.role]).toEqual([`made-${role}`, role]);
      expect(created.id).toMatch(/^ok_/);
      expect(created.key).toMatch(new RegExp(`^${created.id}\\.[\\w-]{32,}$`));
      if (role === "Owner") {
        const expires = Date.parse(created.expiresAt!) - before;
        expect(expires).toBeGreaterThanOrEqual(2 * 86_400_000 - 1_000);
        expect(expires).toBeLessThan(2 * 86_400_000 + 60_000);
      } else expect(created.expiresAt).toBeUndefined();
    }
    const table = await cli.run(["key", "create", "--name", "shown", "--role", "Reader", "-o", "table", ...inProject]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/Key\s+│\s+ok_\w+\.[\w-]{32,}\s/);
    expect(table.stderr).toContain("shown once");
  });

  it("refuses a role that is not Reader, Contributor or Owner as a usage error, making nothing", async () => {
    const result = await cli.run(["key", "create", "--name", "bad-role", "--role", "Admin", ...inProject]);
    expect([result.code, result.stderr]).toEqual([2, expect.stringContaining("Allowed choices are Reader")]);
    const keys = await cli.json(keyList, ["key", "list", ...inProject]);
    expect(keys.map((k) => k.name)).not.toContain("bad-role");
  });

  it("lists keys without their secret, with when each was last used", async () => {
    const created = await cli.json(createdOperatorKeySchema, [
      "key",
      "create",
      "--name",
      "listed",
      "--role",
      "Reader",
      ...inProject,
    ]);
    const unused = (await cli.json(keyList, ["key", "list", ...inProject])).find((k) => k.id === created.id);
    expect(unused).toMatchObject({ name: "listed", role: "Reader", projectId });
    expect(unused?.lastUsedAt).toBeUndefined();
    await cliWithKey(created.key).json(z.array(replicatingServerSchema), ["server", "list", ...inProject]);
    const json = await cli.run(["key", "list", "-o", "json", ...inProject]);
    const table = await cli.run(["key", "list", "-o", "table", ...inProject]);
    const secret = created.key.slice(created.key.indexOf(".") + 1);
    for (const output of [json, table]) {
      expect(output.code, output.stderr).toBe(0);
      expect(output.stdout + output.stderr).not.toContain(secret);
    }
    const used = keyList.parse(JSON.parse(json.stdout)).find((k) => k.id === created.id);
    expect(Date.now() - Date.parse(used!.lastUsedAt!)).toBeLessThan(60_000);
    expect(table.stdout).toMatch(/listed\s+.*Reader.*never/);
  });

  it("deletes a key by name or by id: it stops working at once", async () => {
    const byName = await cli.json(createdOperatorKeySchema, [
      "key",
      "create",
      "--name",
      "gone1",
      "--role",
      "Owner",
      ...inProject,
    ]);
    const byId = await cli.json(createdOperatorKeySchema, [
      "key",
      "create",
      "--name",
      "gone2",
      "--role",
      "Owner",
      ...inProject,
    ]);
    for (const [key, named] of [
      [byName, "gone1"],
      [byId, byId.id],
    ] as const) {
      await cliWithKey(key.key).json(keyList, ["key", "list", ...inProject]);
      const deleted = await cli.run(["key", "delete", named, ...inProject]);
      expect([deleted.code, deleted.stderr]).toEqual([0, `Deleted operator key ${key.name} (${key.id}).\n`]);
      const refused = await cliWithKey(key.key).run(["key", "list", ...inProject]);
      expect([refused.code, refused.stderr]).toEqual([1, expect.stringMatching(/^error Unauthorized: /)]);
    }
    const left = await cli.json(keyList, ["key", "list", ...inProject]);
    expect(left.map((k) => k.id)).not.toContain(byName.id);
    expect(left.map((k) => k.id)).not.toContain(byId.id);
    const missing = await cli.run(["key", "delete", "gone1", ...inProject]);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringMatching(/^error NotFound: No operator key/)]);
  });

  it("gives a Reader key the servers grid, and refuses it every change with error Forbidden, exit 1", async () => {
    const reader = await cli.json(createdOperatorKeySchema, [
      "key",
      "create",
      "--name",
      "ro",
      "--role",
      "Reader",
      ...inProject,
    ]);
    const asReader = cliWithKey(reader.key);
    expect(await asReader.json(z.array(replicatingServerSchema), ["server", "list", ...inProject])).toEqual(
      await cli.json(z.array(replicatingServerSchema), ["server", "list", ...inProject]),
    );
    const policies = await cli.json(z.array(policySchema), ["policy", "list", ...inProject]);
    const keys = await cli.json(keyList, ["key", "list", ...inProject]);
    for (const change of [
      ["policy", "create", "--name", "by-reader"],
      ["appliance", "key"],
      ["key", "create", "--name", "by-reader", "--role", "Owner"],
      ["key", "delete", "ro"],
    ]) {
      const refused = await asReader.run([...change, ...inProject]);
      expect(refused.code, change.join(" ")).toBe(1);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toMatch(/^error Forbidden: /);
    }
    expect(await cli.json(z.array(policySchema), ["policy", "list", ...inProject])).toEqual(policies);
    expect((await cli.json(keyList, ["key", "list", ...inProject])).map((k) => k.id)).toEqual(keys.map((k) => k.id));
  });
});

/** The same CLI with a project operator key in FERRY_OPERATOR_KEY (it overrides the profile's). */
function cliWithKey(key: string): FerryCli {
  return new FerryCli({ ...cli.env, FERRY_OPERATOR_KEY: key });
}

/** A port nothing listens on: one the OS just handed out, closed again. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

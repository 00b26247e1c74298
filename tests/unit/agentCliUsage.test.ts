import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeState } from "../../agent/state";
import { removeTempDirs, runAgentCli, tempDir } from "../support/agentCli";

afterAll(removeTempDirs);

describe("agent command line mistakes and help", () => {
  it("exits 2 on an unknown option, naming it on stderr with the usage", async () => {
    const run = await runAgentCli(["run", "--state-dir", tempDir(), "--verbose"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^Unknown option --verbose for run\.\nUsage:/);
  });

  it("prints the usage on --help and exits 0", async () => {
    const run = await runAgentCli(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("npm run agent -- run --state-dir DIR");
  });

  it("finds a relative --state-dir in the directory npm was called from (INIT_CWD)", async () => {
    const caller = tempDir();
    writeState(path.join(caller, "state"), {
      server: "http://127.0.0.1:1/api",
      machineId: "mch_relative",
      agentKey: "ak_x.secret",
      hostname: "source-1",
      disks: [],
      registeredAt: new Date(0).toISOString(),
    });
    const run = await runAgentCli(["status", "--state-dir", "state"], { ...process.env, INIT_CWD: caller });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ machineId: "mch_relative", hostname: "source-1" });
  });
});

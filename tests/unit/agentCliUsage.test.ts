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

  it("prints the usage on --help and exits 0, under the name it was started by", async () => {
    const installed = await runAgentCli(["--help"]);
    expect(installed.code).toBe(0);
    expect(installed.stdout).toContain("ferry-agent run --state-dir DIR");
    const npm = await runAgentCli(["--help"], { ...process.env, npm_lifecycle_event: "agent" });
    expect(npm.stdout).toContain("npm run agent -- run --state-dir DIR");
  });

  /** A registered state dir `state` in a fresh folder, whose machine id names the folder. */
  function stateIn(machineId: string): string {
    const dir = tempDir();
    writeState(path.join(dir, "state"), {
      server: "http://127.0.0.1:1/api",
      machineId,
      agentKey: "ak_x.secret",
      hostname: "source-1",
      disks: [],
      registeredAt: new Date(0).toISOString(),
    });
    return dir;
  }

  const statusOf = (stdout: string) => (JSON.parse(stdout) as { machineId: string }).machineId;

  it("finds a relative --state-dir in the directory npm was called from under `npm run agent` (INIT_CWD)", async () => {
    const caller = stateIn("mch_caller");
    const packageRoot = stateIn("mch_package_root");
    const env = { ...process.env, npm_lifecycle_event: "agent", INIT_CWD: caller };
    const run = await runAgentCli(["status", "--state-dir", "state", "--json"], env, packageRoot);
    expect(run.code, run.stderr).toBe(0);
    expect(statusOf(run.stdout)).toBe("mch_caller");
  });

  it("finds it in its working directory when started otherwise, whatever INIT_CWD it inherited", async () => {
    const cwd = stateIn("mch_cwd");
    const inherited = stateIn("mch_inherited");
    const env = { ...process.env, npm_lifecycle_event: "test", INIT_CWD: inherited };
    const run = await runAgentCli(["status", "--state-dir", "state", "--json"], env, cwd);
    expect(run.code, run.stderr).toBe(0);
    expect(statusOf(run.stdout)).toBe("mch_cwd");
  });
});

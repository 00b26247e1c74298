import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, runAgentCli, tempDir } from "../support/agentCli";

afterAll(removeTempDirs);

describe("agent run settings", () => {
  it("refuses a batch size the Functions host could not take, before it does anything", async () => {
    const run = await runAgentCli(["run", "--state-dir", tempDir()], {
      ...process.env,
      FERRY_AGENT_BATCH_BYTES: String(128 * 1024 * 1024),
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("FERRY_AGENT_BATCH_BYTES must be at most 100663296 (96 MiB)");
  });

  it("refuses a batch size that is not a positive whole number", async () => {
    const run = await runAgentCli(["run", "--state-dir", tempDir()], {
      ...process.env,
      FERRY_AGENT_BATCH_BYTES: "lots",
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('FERRY_AGENT_BATCH_BYTES must be a positive whole number, not "lots"');
  });
});

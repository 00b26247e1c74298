import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { walkthrough } from "../../demo/walkthrough";
import { repoRoot, startHostProcess, uniqueHubName, type HostProcess } from "../support/hostProcess";

describe("the tutorial, end to end", () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-e2e-"));
  let host: HostProcess | undefined;

  afterAll(async () => {
    await host?.kill();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("replicates, test-migrates, cleans up, migrates with shutdown and completes, every disk equal to its source", async () => {
    const operatorKey = randomBytes(24).toString("base64url");
    host = await startHostProcess({
      appDir: repoRoot,
      storage: inject("storageConnectionString"),
      env: {
        FERRY_OPERATOR_KEY: operatorKey,
        FERRY_HUB_NAME: uniqueHubName("Demo"),
        FERRY_CYCLE_INTERVAL_SECONDS: "2",
        FERRY_FINAL_SYNC_TIMEOUT_SECONDS: "120",
      },
    });
    const lines: string[] = [];
    const mismatches = await walkthrough({
      api: `${host.origin}/api`,
      operatorKey,
      workDir,
      distRoot: path.join(repoRoot, "dist"),
      imageMiB: 24,
      log: (line) => lines.push(line),
    });
    expect(mismatches, lines.join("\n")).toEqual([]);
    expect(lines.filter((l) => l.startsWith("    same:"))).toHaveLength(6);
    expect(lines.some((l) => l.includes("Shut down the virtual machine: Succeeded (The source shut down"))).toBe(true);
  }, 300_000);
});

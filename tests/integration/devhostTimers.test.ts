import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { repoRoot, startHostProcess, type HostProcess } from "../support/hostProcess";

const timerApp = path.join(repoRoot, "tests/fixtures/timer-app");

/** The "slow start N" / "slow end N" lines of the slow timer, in the order printed. */
function slowEvents(output: string): string[] {
  return [...output.matchAll(/slow (start|end) (\d+)/g)].map((m) => `${m[1]} ${m[2]}`);
}

describe("devhost timer triggers", () => {
  let host: HostProcess;

  beforeAll(async () => {
    host = await startHostProcess({
      appDir: timerApp,
      storage: inject("storageConnectionString"),
      env: { TICK_SCHEDULE: "* * * * * *", FAIL_SCHEDULE: "* * * * * *" },
    });
    // Long enough for several ticks and two slow runs (1.5 s each, due every second).
    await host.waitForOutput(/slow end 2/, 10_000);
  });
  afterAll(async () => {
    await host?.kill();
  });

  it("fires a six-field schedule every second, read from an app setting (%TICK_SCHEDULE%)", () => {
    const ticks = host.output().match(/tick fired/g) ?? [];
    expect(ticks.length).toBeGreaterThanOrEqual(3);
  });

  it("runs a runOnStartup timer at start even though it is not due for months", () => {
    expect(host.output().match(/startup fired/g)).toHaveLength(1);
  });

  it("never starts a run while the previous run of the same timer is still going", () => {
    const events = slowEvents(host.output());
    events.forEach((event, i) => {
      const run = Math.floor(i / 2) + 1;
      expect(event).toBe(i % 2 === 0 ? `start ${run}` : `end ${run}`);
    });
  });

  it("logs nothing for a timer run that succeeded, and a failed run as an error", () => {
    expect(host.output()).toMatch(/tick fired/);
    expect(host.output()).not.toMatch(/Executed 'Functions\.(tick|slow)'/);
    expect(host.output()).toMatch(/ERROR host: Executed 'Functions\.failing' \(Failed, Id=[\w-]+, Duration=[\d.]+ms\)/);
  });
});

describe("devhost timer logs at debug level", () => {
  it("logs each timer run that succeeded as an execution at debug level", async () => {
    const host = await startHostProcess({
      appDir: timerApp,
      storage: inject("storageConnectionString"),
      env: { TICK_SCHEDULE: "* * * * * *", AzureFunctionsJobHost__logging__logLevel__default: "Debug" },
    });
    try {
      // The execution line follows the function's own last line, so wait for it rather than for "slow end".
      await host.waitForOutput(/DEBUG host: Executed 'Functions\.slow'/, 10_000);
      expect(host.output()).toMatch(
        /DEBUG host: Executed 'Functions\.tick' \(Succeeded, Id=[\w-]+, Duration=[\d.]+ms\)/,
      );
      const slow = /DEBUG host: Executed 'Functions\.slow' \(Succeeded, Id=[\w-]+, Duration=([\d.]+)ms\)/.exec(
        host.output(),
      );
      // The run's own time, not the log's: the function sleeps 1.5 s.
      expect(Number(slow?.[1])).toBeGreaterThanOrEqual(1400);
    } finally {
      await host.kill();
    }
  });
});

describe("devhost timer schedules far ahead", () => {
  it("waits for a schedule beyond setTimeout's 24.8-day range instead of firing at once", async () => {
    const host = await startHostProcess({
      appDir: timerApp,
      storage: inject("storageConnectionString"),
      env: { TICK_SCHEDULE: "0 0 0 29 2 *" },
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(host.output()).not.toMatch(/tick fired/);
    } finally {
      await host.kill();
    }
  });
});

describe("devhost disabled functions", () => {
  it("never fires a timer disabled by AzureWebJobs.<name>.Disabled, and says so at start", async () => {
    const host = await startHostProcess({
      appDir: timerApp,
      storage: inject("storageConnectionString"),
      env: { TICK_SCHEDULE: "* * * * * *", "AzureWebJobs.tick.Disabled": "true" },
    });
    try {
      await host.waitForOutput(/slow end 1/, 10_000);
      expect(host.output()).toMatch(/Function 'tick' is disabled/);
      expect(host.output()).not.toMatch(/tick fired/);
    } finally {
      await host.kill();
    }
  });
});

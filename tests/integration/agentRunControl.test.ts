import { constants, existsSync } from "node:fs";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { beforeEach, describe, expect, it } from "vitest";
import { useAgentBackend } from "../support/agentBackendFixture";
import type { DiskStatus } from "../../agent/status/statusReport";
import { runAgentCli } from "../support/agentCli";
import { MiB, distinctBlocks, writeRandomBlocks, writeSourceImage } from "../support/agentRunKit";
import { sha256File } from "../support/replicaDisk";

const SIZE = 8 * MiB;

/** Whether this filesystem makes reflink copies: then image files get snapshots without hooks. */
async function reflinkSupported(dir: string): Promise<boolean> {
  const probe = path.join(dir, "reflink-probe");
  await writeFile(probe, "x");
  try {
    await copyFile(probe, `${probe}.copy`, constants.COPYFILE_FICLONE_FORCE);
    return true;
  } catch {
    return false;
  }
}

describe("agent run: instructions and recovery-point labels", () => {
  const fixture = useAgentBackend("ferry-agent-control-");
  let image: string;

  beforeEach(async () => {
    image = path.join(fixture.dir, "source.img");
    await writeSourceImage(image, SIZE, [[MiB, 2 * MiB]]);
  });

  const copied = () => fixture.backend.cycles.some((cycle) => cycle.initialCopyComplete);

  it("stops sending on Pause while heartbeating, and exits 0 on Stop", async () => {
    const { backend } = fixture;
    const stateDir = await fixture.register([image]);
    backend.controls = { ...backend.controls, action: "Replicate", throttleBytesPerSecond: 3_000_000 };
    const agent = fixture.start(stateDir);
    await backend.waitFor("two acknowledged batches", () => backend.acked().length >= 2);
    backend.controls.action = "Pause";
    await sleep(400);
    const batches = backend.batches.length;
    const heartbeats = backend.heartbeats.length;
    await sleep(1000);
    expect(backend.batches.length).toBe(batches);
    expect(backend.heartbeats.length).toBeGreaterThan(heartbeats + 3);
    expect(copied()).toBe(false);
    backend.controls.action = "Stop";
    expect(await agent.exited).toBe(0);
    const status = await runAgentCli(["status", "--state-dir", stateDir, "--json"]);
    const [disk] = (JSON.parse(status.stdout) as { disks: DiskStatus[] }).disks;
    expect(disk).toMatchObject({ diskId: "disk0", state: "initial copy", sizeBytes: 8388608 });
    expect(disk!.copiedBytes).toBeGreaterThan(0);
    expect(disk!.copiedBytes + disk!.backlogBytes).toBe(8388608);
    expect(disk!.lastAcknowledgedSequence).toBe(backend.acked().at(-1)!.sequence);
    expect(status.stdout).not.toMatch(/ak_/);
    const table = await runAgentCli(["status", "--state-dir", stateDir]);
    expect(table.stdout).toMatch(/^disk0 +\S+ +initial copy \d+\.\d% +#\d+ at \S+ +[\d.]+ [KMG]iB +-$/m);
  });

  it("labels points Inconsistent without a snapshot or freeze hooks", async () => {
    const { backend, dir } = fixture;
    const stateDir = await fixture.register([image]);
    backend.controls = { ...backend.controls, action: "Replicate", cycleIntervalSeconds: 1 };
    fixture.start(stateDir);
    await backend.waitFor("two delta cycles", () => backend.cycles.length >= 3);
    expect(backend.cycles[0]?.type).toBe("Inconsistent");
    const deltaType = (await reflinkSupported(dir)) ? "CrashConsistent" : "Inconsistent";
    expect(backend.cycles.slice(1).map((cycle) => cycle.type)).toEqual([deltaType, deltaType]);
  });

  it("labels frozen cycles CrashConsistent, and ApplicationConsistent at the app-consistent interval", async () => {
    const { backend, dir } = fixture;
    const hookLog = path.join(dir, "hooks.log");
    const stateDir = await fixture.register(
      [image],
      ["--freeze-command", `echo freeze >> ${hookLog}`, "--thaw-command", `echo thaw >> ${hookLog}`],
    );
    backend.controls = {
      ...backend.controls,
      action: "Replicate",
      cycleIntervalSeconds: 1,
      appConsistentIntervalSeconds: 3600,
    };
    fixture.start(stateDir);
    await backend.waitFor("the initial copy", copied);
    await writeRandomBlocks(image, distinctBlocks(10, SIZE / 4096));
    await backend.waitFor("three delta cycles", () => backend.cycles.length >= 4);
    expect(backend.cycles.map((cycle) => cycle.type).slice(0, 4)).toEqual([
      "Inconsistent",
      "ApplicationConsistent",
      "CrashConsistent",
      "CrashConsistent",
    ]);
    const hooks = (await readFile(hookLog, "utf8")).trim().split("\n");
    expect(hooks.slice(0, 6)).toEqual(["freeze", "thaw", "freeze", "thaw", "freeze", "thaw"]);
    const flagged = backend.acked().filter((batch) => batch.flags?.crashConsistent);
    expect(flagged.length).toBeGreaterThan(0);
  });

  it("labels a cycle Inconsistent when the freeze hook fails, and still thaws", async () => {
    const { backend, dir } = fixture;
    const thawed = path.join(dir, "thawed");
    const stateDir = await fixture.register(
      [image],
      ["--freeze-command", "exit 3", "--thaw-command", `touch ${thawed}`],
    );
    backend.controls = { ...backend.controls, action: "Replicate", cycleIntervalSeconds: 1 };
    fixture.start(stateDir);
    await backend.waitFor("a delta cycle", () => backend.cycles.length >= 2);
    expect(backend.cycles[1]?.type).toBe((await reflinkSupported(dir)) ? "CrashConsistent" : "Inconsistent");
    expect(existsSync(thawed)).toBe((await reflinkSupported(dir)) ? false : true);
  });

  it("on FinalSync runs the shutdown command, sends a final cycle, and waits for Stop", async () => {
    const { backend, dir } = fixture;
    const marker = path.join(dir, "shut-down");
    const stateDir = await fixture.register([image], ["--shutdown-command", `touch ${marker}`]);
    backend.controls = { ...backend.controls, action: "Replicate", cycleIntervalSeconds: 60 };
    const agent = fixture.start(stateDir);
    await backend.waitFor("the initial copy and a first delta", () => backend.cycles.length >= 2);
    await writeRandomBlocks(image, distinctBlocks(10, SIZE / 4096));
    backend.controls.action = "FinalSync";
    await backend.waitFor("the final cycle", () => backend.cycles.some((cycle) => cycle.final));
    expect(existsSync(marker)).toBe(true);
    expect(backend.acked().at(-1)?.flags?.final).toBe(true);
    expect(await sha256File(backend.replica().file)).toBe(await sha256File(image));
    const heartbeats = backend.heartbeats.length;
    await backend.waitFor("heartbeats after the final cycle", () => backend.heartbeats.length > heartbeats + 2);
    expect(backend.cycles.filter((cycle) => cycle.final)).toHaveLength(1);
    backend.controls.action = "Stop";
    expect(await agent.exited).toBe(0);
  });
});

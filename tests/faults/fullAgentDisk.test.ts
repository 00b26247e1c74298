// A full agent disk: the agent's state directory runs out of space (real ENOSPC from the kernel)
// while it replicates to the real host. The agent keeps heartbeating, the item says why it
// stopped and what to do, smaller batches are used where they fit, and once space returns the
// agent resumes by itself; the newest recovery point verifies against the source by SHA-256.
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { readState } from "../../agent/state";
import { removeTempDirs, tempDir } from "../support/agentCli";
import { enrollWithHost, MiB, startAgent, writeSourceImage, type RunningAgent } from "../support/agentRunKit";
import { verifyPoint } from "../support/dataPathSetup";
import { eventually } from "../support/eventually";
import { startFerry, type RunningFerry } from "../support/ferryApi";
import {
  devFullUnavailable,
  linkToDevFull,
  smallFilesystemUnavailable,
  spoolFiles,
  startAgentOnSmallDisk,
} from "../support/fullStateDisk";
import { sha256File } from "../support/replicaDisk";

const SIZE = 8 * MiB + 4096;
let ferry: RunningFerry;
let agent: RunningAgent | undefined;

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"), { env: { FERRY_CYCLE_INTERVAL_SECONDS: "1" } });
});
afterEach(async () => {
  await agent?.kill("SIGKILL");
  agent = undefined;
});
afterAll(async () => {
  await ferry?.stop();
  removeTempDirs();
});

interface HealthErrorBody {
  code: string;
  message: string;
  recommendedAction: string;
  severity: string;
}

interface GridRow {
  migrationState: string;
  health: string;
  healthErrors: HealthErrorBody[];
  lastHeartbeatTime?: string;
  lastRecoveryPointTime?: string;
}

async function enrolledSource() {
  const dir = tempDir("ferry-full-disk-");
  const image = path.join(dir, "source.img");
  await writeSourceImage(image, SIZE, [[5 * MiB, 6 * MiB]]);
  const enrolled = await enrollWithHost(ferry.api, ferry.host.origin, dir, image);
  const row = async () => {
    // An agent that died answers nothing more: fail at once, with what it said.
    if (agent && agent.child.exitCode !== null) throw new Error(`the agent exited:\n${agent.output()}`);
    return ferry.api.expect<GridRow>(ferry.api.get(enrolled.itemPath), 200);
  };
  return { ...enrolled, image, row };
}

type Source = Awaited<ReturnType<typeof enrolledSource>>;

const diskFull = (row: GridRow) => row.healthErrors.find((error) => error.code === "AgentStateDiskFull");

/** Space is back: the health error clears by itself, a new point is made, and it verifies against the image. */
async function expectResumed(source: Source, since: string): Promise<void> {
  const done = await eventually(
    source.row,
    (r) => diskFull(r) === undefined && r.migrationState === "Replicating" && (r.lastRecoveryPointTime ?? "") > since,
    { timeoutMs: 45_000, what: "replication to resume and the health error to clear" },
  );
  expect(done.health).toBe("Normal");
  await agent?.kill("SIGTERM");
  const points = await ferry.api.expect<{ value: { id: string; time: string }[] }>(
    ferry.api.get(`${source.itemPath}/recovery-points`),
    200,
  );
  const newest = points.value.reduce((a, b) => (a.time >= b.time ? a : b));
  const verified = await verifyPoint(ferry.api, source.projectId, source.itemId, newest.id);
  expect(verified.disks[0]?.sha256).toBe(await sha256File(source.image));
}

describe("a full agent disk", () => {
  it.skipIf(devFullUnavailable())(
    "keeps heartbeating while no spool write fits, shows AgentStateDiskFull, and resumes once writes fit again",
    async () => {
      const source = await enrolledSource();
      const diskId = readState(source.stateDir)?.disks[0]?.id ?? "";
      // Slow enough that the fault is in place before the agent spools its third batch.
      await ferry.api.expect(ferry.api.patch(source.itemPath, { throttleBytesPerSecond: 3_000_000 }), 200);
      agent = startAgent(source.stateDir);
      await eventually(agent.output, (text) => /replicating to/.test(text));
      const fault = linkToDevFull(spoolFiles(source.stateDir, diskId, 3));
      await ferry.api.expect(ferry.api.patch(source.itemPath, { throttleBytesPerSecond: null }), 200);
      const full = await eventually(source.row, (r) => diskFull(r)?.severity === "Critical", {
        timeoutMs: 30_000,
        what: "the item to show AgentStateDiskFull",
      });
      expect(full.health).toBe("Critical");
      expect(diskFull(full)?.message).toMatch(/state directory/);
      expect(diskFull(full)?.recommendedAction).toMatch(/free space/i);
      expect(diskFull(full)?.recommendedAction).toMatch(/FERRY_AGENT_BATCH_BYTES/);
      const heard = full.lastHeartbeatTime ?? "";
      await eventually(source.row, (r) => (r.lastHeartbeatTime ?? "") > heard && diskFull(r) !== undefined, {
        what: "heartbeats to go on while the disk is full",
      });
      await fault.release();
      await expectResumed(source, full.lastRecoveryPointTime ?? "");
      expect(agent?.output()).toMatch(/no space/i);
    },
  );

  it.skipIf(devFullUnavailable())(
    "loses nothing when the journal cannot be saved after an acknowledged batch, and skips ahead once it can",
    async () => {
      const source = await enrolledSource();
      await ferry.api.expect(ferry.api.patch(source.itemPath, { throttleBytesPerSecond: 3_000_000 }), 200);
      agent = startAgent(source.stateDir);
      await eventually(agent.output, (text) => /batch 2 acked/.test(text), { what: "two acknowledged batches" });
      // The next journal save is the one after the next ack: the server holds that batch, the journal cannot say so.
      const fault = linkToDevFull([path.join(source.stateDir, "journal.json.tmp")]);
      const full = await eventually(source.row, (r) => diskFull(r)?.severity === "Critical", {
        timeoutMs: 30_000,
        what: "the item to show AgentStateDiskFull",
      });
      await ferry.api.expect(ferry.api.patch(source.itemPath, { throttleBytesPerSecond: null }), 200);
      await fault.release();
      await expectResumed(source, full.lastRecoveryPointTime ?? "");
      expect(agent?.output()).toMatch(/that the journal missed \(stopped after an ack\): skipping ahead/);
    },
  );

  it.skipIf(smallFilesystemUnavailable())(
    "falls back to smaller batches on a nearly full state filesystem, and to full ones once space is freed",
    async () => {
      const source = await enrolledSource();
      // Room for one 1 MiB batch and the agent's small files, not for the next batch spooled beside it.
      const small = startAgentOnSmallDisk(source.stateDir, { sizeBytes: 8 * MiB, freeBytes: Math.round(1.6 * MiB) });
      agent = small;
      const degraded = await eventually(source.row, (r) => diskFull(r) !== undefined, {
        timeoutMs: 30_000,
        what: "the item to show AgentStateDiskFull",
      });
      expect(diskFull(degraded)?.severity).toBe("Warning");
      await eventually(small.output, (text) => /acked: 0\.5 MiB data/.test(text), {
        what: "half-size batches to be acknowledged",
      });
      const before = small.output().length;
      await small.freeAll();
      await eventually(
        () => small.output().slice(before),
        (text) => /acked: 1\.0 MiB data/.test(text),
        { what: "full-size batches again" },
      );
      await expectResumed(source, degraded.lastRecoveryPointTime ?? "");
    },
  );
});

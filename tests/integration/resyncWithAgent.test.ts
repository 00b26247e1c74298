// Resynchronization end to end: the real agent CLI (`run`) against the real host. A lost agent
// state ends in a resync the backend drives; an operator's resync re-reads the disk; either way
// the next recovery point is byte-exact against the source image.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { removeTempDirs, tempDir } from "../support/agentCli";
import {
  distinctBlocks,
  enrollWithHost,
  MiB,
  startAgent,
  writeRandomBlocks,
  writeSourceImage,
  type RunningAgent,
} from "../support/agentRunKit";
import { verifyPoint } from "../support/dataPathSetup";
import { eventually } from "../support/eventually";
import { startFerry, waitForJob, type FerryApi, type JobBody, type RunningFerry } from "../support/ferryApi";
import { sha256File } from "../support/replicaDisk";

const SIZE = 6 * MiB + 4096;
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

interface GridRow {
  migrationState: string;
  health: string;
  resyncRequired: boolean;
  resyncInProgress: boolean;
  resyncReason?: string;
  lastRecoveryPointTime?: string;
  disks: { bytesReplicated: number }[];
}

/** A source image replicated by the real agent until its first consistent point exists. */
async function replicatedSource(api: FerryApi) {
  const dir = tempDir("ferry-resync-");
  const image = path.join(dir, "source.img");
  await writeSourceImage(image, SIZE, [[2 * MiB, 3 * MiB]]);
  const { stateDir, projectId, itemId, itemPath } = await enrollWithHost(api, ferry.host.origin, dir, image);
  const row = () => api.expect<GridRow>(api.get(itemPath), 200);
  agent = startAgent(stateDir);
  await eventually(row, (r) => r.migrationState === "Replicating" && r.lastRecoveryPointTime !== undefined, {
    timeoutMs: 30_000,
  });
  return { image, stateDir, projectId, itemId, itemPath, row };
}

type Source = Awaited<ReturnType<typeof replicatedSource>>;

/** Polls the item until the resync has run and ended, remembering what it saw on the way. */
async function watchResync(source: Source): Promise<{ seen: GridRow[]; done: GridRow }> {
  const seen: GridRow[] = [];
  const done = await eventually(
    async () => {
      const r = await source.row();
      seen.push(r);
      return r;
    },
    () => seen.some((r) => r.resyncInProgress) && !seen.at(-1)!.resyncInProgress,
    { timeoutMs: 40_000 },
  );
  return { seen, done };
}

/** Stops the agent after one more point, then verifies the newest point against the image. */
async function expectNewestPointMatches(api: FerryApi, source: Source, after: string): Promise<void> {
  await eventually(source.row, (r) => (r.lastRecoveryPointTime ?? "") > after);
  await agent?.kill("SIGTERM");
  const points = await api.expect<{ value: { id: string; time: string }[] }>(
    api.get(`${source.itemPath}/recovery-points`),
    200,
  );
  const newest = points.value.reduce((a, b) => (a.time >= b.time ? a : b));
  const verified = await verifyPoint(api, source.projectId, source.itemId, newest.id);
  expect(verified.disks[0]!.sha256).toBe(await sha256File(source.image));
}

describe("resync driven by the backend", () => {
  it("turns a lost agent journal into a resync whose next point is byte-exact", async () => {
    const source = await replicatedSource(ferry.api);
    // Slow enough that the grid shows the resync running.
    await ferry.api.expect(ferry.api.patch(source.itemPath, { throttleBytesPerSecond: 3_000_000 }), 200);
    await agent?.kill("SIGTERM");
    await writeRandomBlocks(source.image, distinctBlocks(30, SIZE / 4096));
    await writeFile(path.join(source.stateDir, "journal.json"), "{ torn");
    const before = (await source.row()).disks[0]!.bytesReplicated;
    agent = startAgent(source.stateDir);
    const { seen, done } = await watchResync(source);
    expect(seen.find((r) => r.resyncInProgress)?.resyncReason).toMatch(/no journal entry/);
    expect(done).toMatchObject({ migrationState: "Replicating", resyncRequired: false, health: "Normal" });
    expect(done.resyncReason).toBeUndefined();
    expect(done.disks[0]!.bytesReplicated - before).toBeGreaterThanOrEqual(SIZE);
    expect(agent?.output()).toMatch(/doubtful state on/);
    await expectNewestPointMatches(ferry.api, source, done.lastRecoveryPointTime ?? "");
  });

  it("runs the operator's resync: the agent re-reads the whole disk and the item is Replicating again", async () => {
    const source = await replicatedSource(ferry.api);
    await ferry.api.expect(ferry.api.patch(source.itemPath, { throttleBytesPerSecond: 3_000_000 }), 200);
    await writeRandomBlocks(source.image, distinctBlocks(30, SIZE / 4096));
    const before = (await source.row()).disks[0]!.bytesReplicated;
    const { job } = await ferry.api.expect<{ job: JobBody }>(ferry.api.post(`${source.itemPath}/resync`), 202);
    expect((await waitForJob(ferry.api, source.projectId, job.id)).state).toBe("Succeeded");
    const { done } = await watchResync(source);
    expect(done).toMatchObject({ migrationState: "Replicating", resyncRequired: false, health: "Normal" });
    expect(done.disks[0]!.bytesReplicated - before).toBeGreaterThanOrEqual(SIZE);
    expect(agent?.output()).toMatch(/Resync requested: reading the whole disk again/);
    await expectNewestPointMatches(ferry.api, source, done.lastRecoveryPointTime ?? "");
  });
});

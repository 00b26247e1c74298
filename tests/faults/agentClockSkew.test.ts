// The agent's machine clock is wrong (the agent runs on a clock of its own, the host on real
// time). Four minutes fast, then set eight minutes back as NTP would: the points keep the order
// the server received them in, so the newest is the newest whatever the agent claimed. Set back
// while replicating: the agent keeps its cycle interval. Ten minutes fast: past the signature
// window every request is refused and nothing is written; put right, the agent replicates on.
// Nothing acknowledged is lost and every point verifies.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { readState } from "../../agent/state";
import { FaultRig } from "../support/faultRig";
import { FaultSource } from "../support/faultSource";
import { eventually } from "../support/eventually";
import { downloadDisk, sha256, type VmBody } from "../support/lifecycleKit";
import { waitForJob } from "../support/ferryApi";
import { TestClock } from "../support/testClock";

const MINUTE = 60_000;
const dir = mkdtempSync(path.join(os.tmpdir(), "ferry-skew-"));
let rig: FaultRig;
const sources: FaultSource[] = [];

beforeAll(async () => {
  rig = await FaultRig.start({ storage: inject("storageConnectionString") });
});
afterEach(async () => {
  for (const source of sources.splice(0)) await source.dispose();
});
afterAll(async () => {
  await rig?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function skewedSource(name: string, offsetMs: number): Promise<{ source: FaultSource; clock: TestClock }> {
  const clock = TestClock.in(dir, name);
  await clock.set(offsetMs);
  const source = await FaultSource.enroll(rig, { clock });
  sources.push(source);
  return { source, clock };
}

/**
 * A test migration with the default choice (the newest processed point), once every point is
 * processed (until then the newest processed one is rightly an older point): what its VM's disks hold.
 */
async function testMigratedDisks(source: FaultSource): Promise<Record<string, string>> {
  const { projectId } = source.enrolled;
  await eventually(
    () => rig.api.expect<{ value: { processed: boolean }[] }>(rig.api.get(`${source.itemPath}/recovery-points`), 200),
    (points) => points.value.every((point) => point.processed),
    { timeoutMs: 30_000, what: "every point applied to the replica" },
  );
  const started = await rig.api.expect<{ job: { id: string } }>(
    rig.api.post(`${source.itemPath}/test-migrate`, { network: "vnet-drill" }),
    202,
  );
  expect((await waitForJob(rig.api, projectId, started.job.id)).state).toBe("Succeeded");
  const vms = await rig.api.expect<{ value: VmBody[] }>(rig.api.get(`/projects/${projectId}/virtual-machines`), 200);
  const digests: Record<string, string> = {};
  for (const image of source.disks.images) {
    const disk = await downloadDisk(rig.api, projectId, vms.value[0]!.id, image.diskId);
    digests[image.diskId] = sha256(disk.body.subarray(0, image.sizeBytes));
  }
  return digests;
}

describe("an agent with a wrong clock", { timeout: 180_000 }, () => {
  it("four minutes fast, then set eight minutes back: the newest point is the newest received, and all verify", async () => {
    const { source, clock } = await skewedSource("fast-then-slow", 4 * MINUTE);
    await source.seeded();
    await source.disks.write(16);
    await source.caughtUp();
    await clock.set(-4 * MINUTE);
    await source.disks.write(16);
    await source.caughtUp();
    expect(await testMigratedDisks(source), "the default failover point holds the last writes").toEqual(
      source.disks.digests(),
    );
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(3);
  });

  it("set four minutes back while it replicates: it goes on cycling at its interval, and every point verifies", async () => {
    const { source, clock } = await skewedSource("set-back", 0);
    await source.seeded();
    await source.disks.write(16);
    await source.caughtUp();
    await clock.set(-4 * MINUTE);
    await source.disks.write(16);
    // Cycles every second: a cycle scheduled by the wall clock would wait the four minutes out.
    await source.caughtUp(30_000);
    // Which point the list shows first is the server's to order (above); here each holds a state, and one all writes.
    expect(await source.expectNothingLost({ ordered: false })).toBeGreaterThanOrEqual(3);
  });

  it("ten minutes fast: refused before anything is written, and once put right it replicates on", async () => {
    const { source, clock } = await skewedSource("far-ahead", 0);
    await source.seeded();
    await source.disks.write(16);
    await source.caughtUp();
    await clock.set(10 * MINUTE);
    await sleep(500);
    const before = await source.item();
    const agent = source.agent!;
    expect(await agent.exited, agent.output()).not.toBe(0);
    expect(agent.output()).toMatch(/outside the ±5 minute window/);
    source.disks.thaw();
    const machine = readState(source.enrolled.stateDir)!.machineId;
    const last = rig.front.seen.filter((seen) => seen.path.includes(`/agent/machines/${machine}/`)).at(-1);
    expect(last?.status, "the skewed agent's last request").toBe(401);
    const after = await source.item();
    expect(after.disks.map((d) => d.bytesReplicated)).toEqual(before.disks.map((d) => d.bytesReplicated));
    expect(after.lastRecoveryPointTime).toBe(before.lastRecoveryPointTime);

    await source.disks.write(16);
    await clock.set(0);
    source.startAgent();
    await source.disks.write(16);
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(3);
  });
});

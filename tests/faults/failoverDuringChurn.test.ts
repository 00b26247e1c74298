// Failover while the source keeps writing, with the real agent replicating it: a test migration
// from the newest processed point (the VM holds one instant of the source, the one its point
// holds), and a migration that shuts the source down in the middle of its writes (the VM holds
// every write, nothing is lost). Every recovery point verifies against the source.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { FaultRig } from "../support/faultRig";
import { FaultSource } from "../support/faultSource";
import { downloadDisk, sha256, type VmBody } from "../support/lifecycleKit";
import { waitForJob } from "../support/ferryApi";
import type { Digests } from "../support/frozenSource";
import { expectPointsFromSource, verifyEveryPoint } from "../support/pointChecks";

let rig: FaultRig;
const sources: FaultSource[] = [];

beforeAll(async () => {
  rig = await FaultRig.start({
    storage: inject("storageConnectionString"),
    env: { FERRY_FINAL_SYNC_TIMEOUT_SECONDS: "120" },
  });
});
afterEach(async () => {
  for (const source of sources.splice(0)) await source.dispose();
});
afterAll(async () => {
  await rig?.stop();
});

async function churning(shutdown = false): Promise<FaultSource> {
  const source = await FaultSource.enroll(rig, { shutdown });
  sources.push(source);
  await source.seeded();
  source.disks.startChurn(150, 4);
  // A few cycles with writes between them.
  await sleep(4000);
  return source;
}

/** Starts an operation on the item and waits for its job to succeed. */
async function runOperation(source: FaultSource, segment: string, body: object): Promise<void> {
  const { projectId } = source.enrolled;
  const started = await rig.api.expect<{ job: { id: string } }>(
    rig.api.post(`${source.itemPath}/${segment}`, body),
    202,
  );
  const done = await waitForJob(rig.api, projectId, started.job.id);
  expect(done.state, JSON.stringify(done)).toBe("Succeeded");
}

async function vmDigests(source: FaultSource, vm: VmBody): Promise<Digests> {
  const digests: Digests = {};
  for (const image of source.disks.images) {
    const { status, body } = await downloadDisk(rig.api, source.enrolled.projectId, vm.id, image.diskId);
    expect(status).toBe(200);
    digests[image.diskId] = sha256(body.subarray(0, image.sizeBytes));
  }
  return digests;
}

async function onlyVm(source: FaultSource): Promise<VmBody> {
  const list = await rig.api.expect<{ value: VmBody[] }>(
    rig.api.get(`/projects/${source.enrolled.projectId}/virtual-machines`),
    200,
  );
  expect(list.value).toHaveLength(1);
  return list.value[0]!;
}

describe("failover while the source keeps writing", { timeout: 180_000 }, () => {
  it("test-migrates from the newest processed point: the VM holds the instant of the source that point holds", async () => {
    const source = await churning();
    await runOperation(source, "test-migrate", { network: "vnet-drill" });
    const vm = await onlyVm(source);
    const held = await vmDigests(source, vm);
    await source.settle();
    const points = await verifyEveryPoint(rig.api, source.enrolled.projectId, source.enrolled.itemId);
    expectPointsFromSource(points, source.disks.states);
    expect(points.find((point) => point.id === vm.recoveryPointId)?.digests).toEqual(held);
    expect(source.disks.states.length, "the source changed between points").toBeGreaterThan(2);
  });

  it("migrates, shutting the source down in the middle of its writes: the VM holds every write", async () => {
    const source = await churning(true);
    await runOperation(source, "migrate", {});
    const vm = await onlyVm(source);
    expect(await vmDigests(source, vm)).toEqual(source.disks.digests());
    expect(await source.agent!.exited, "the agent stops once told").toBe(0);
    const points = await verifyEveryPoint(rig.api, source.enrolled.projectId, source.enrolled.itemId);
    expectPointsFromSource(points, source.disks.states);
    expect(points.find((point) => point.id === vm.recoveryPointId)?.digests).toEqual(source.disks.digests());
  });
});

// A host killed after acknowledging batches but before applying them, in the middle of applying
// them while it holds the replica's lease, or between two of apply's page writes: the
// acknowledged batches are durable, and the next host applies them, in order, before the next
// recovery point is read.
import { createHash, randomBytes } from "node:crypto";
import { TableClient } from "@azure/data-tables";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { replicaRef } from "../../shared/replication/store";
import {
  AgentCalls,
  batchBytes,
  setUpReplication,
  SourceImage,
  verifyPoint,
  type VerifyResult,
} from "../support/dataPathSetup";
import { eventually } from "../support/eventually";
import { FaultRig } from "../support/faultRig";
import { FaultSource } from "../support/faultSource";
import { FerryApi, type JobBody } from "../support/ferryApi";
import { repoRoot, startHostProcess, uniqueHubName, type HostProcess } from "../support/hostProcess";

const MiB = 1024 * 1024;
const operatorKey = randomBytes(24).toString("base64url");
const hosts: HostProcess[] = [];
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

async function host(env: Record<string, string> = {}): Promise<FerryApi> {
  const started = await startHostProcess({
    appDir: repoRoot,
    storage: inject("storageConnectionString"),
    env: { FERRY_OPERATOR_KEY: operatorKey, FERRY_HUB_NAME: uniqueHubName(), ...env },
  });
  hosts.push(started);
  return new FerryApi(started.origin, operatorKey);
}

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.kill()));
});

describe("a host killed between acknowledging and applying batches", () => {
  it("applies the acknowledged batches after a restart, so the next cycle's point is byte-exact", async () => {
    const disk0 = new SourceImage("disk0", 5 * MiB + 4096);
    const disk1 = new SourceImage("disk1", 2 * MiB + 777);
    const first = await host({ FERRY_APPLY_MODE: "deferred" });
    const r = await setUpReplication(first, [
      { id: "disk0", sizeBytes: disk0.sizeBytes, isBoot: true },
      { id: "disk1", sizeBytes: disk1.sizeBytes, isBoot: false },
    ]);
    let agent = new AgentCalls(first, r.credentials);
    for (const [image, sequence, start, end] of [
      [disk0, 1, 0, 3 * MiB],
      [disk0, 2, 3 * MiB, disk0.sizeBytes],
      [disk1, 1, 0, disk1.sizeBytes],
    ] as const) {
      const reply = await agent.putBatch(
        r.itemId,
        image.diskId,
        1,
        sequence,
        await batchBytes(r.machineId, image.diskId, 1, sequence, image.extents(start, end)),
      );
      expect(reply.status, reply.text).toBe(200);
    }

    await hosts[0]!.kill("SIGKILL");
    const second = await host();
    agent = new AgentCalls(second, r.credentials);
    disk0.write(4 * MiB + 10, randomBytes(9000));
    const delta = await agent.putBatch(
      r.itemId,
      "disk0",
      1,
      3,
      await batchBytes(r.machineId, "disk0", 1, 3, disk0.extents(4 * MiB, 4 * MiB + 12288)),
    );
    expect(delta.status, delta.text).toBe(200);
    const cycle = await agent.cycle<{ recoveryPointId: string }>(r.itemId, {
      cycleId: "after-restart",
      sourceTime: new Date().toISOString(),
      type: "CrashConsistent",
      initialCopyComplete: true,
      disks: [
        { diskId: "disk0", sequence: 3 },
        { diskId: "disk1", sequence: 1 },
      ],
    });
    expect(cycle.status, cycle.text).toBe(200);
    const result = await verifyPoint(second, r.projectId, r.itemId, cycle.body.recoveryPointId);
    expect(result.disks.map((d) => d.sha256)).toEqual([sha(disk0.read()), sha(disk1.read())]);
  });
});

describe("a host killed in the middle of applying, holding the replica's lease", () => {
  it("leaves the replica to the next host once the lease lapses, which applies every batch once: both points verify byte-exact", async () => {
    const disk = new SourceImage("disk0", 64 * MiB);
    const hub = uniqueHubName();
    const first = await host({ FERRY_APPLY_MODE: "deferred", FERRY_HUB_NAME: hub });
    const r = await setUpReplication(first, [{ id: "disk0", sizeBytes: disk.sizeBytes, isBoot: true }]);
    const agent = new AgentCalls(first, r.credentials);
    const put = async (sequence: number, start: number, end: number) => {
      const reply = await agent.putBatch(
        r.itemId,
        "disk0",
        1,
        sequence,
        await batchBytes(r.machineId, "disk0", 1, sequence, disk.extents(start, end)),
      );
      expect(reply.status, reply.text).toBe(200);
    };
    const cycle = async (cycleId: string, sequence: number) => {
      const reply = await agent.cycle(r.itemId, {
        cycleId,
        sourceTime: new Date().toISOString(),
        type: "CrashConsistent",
        initialCopyComplete: true,
        disks: [{ diskId: "disk0", sequence }],
      });
      expect(reply.status, reply.text).toBe(200);
      return reply.body.recoveryPointId;
    };
    // The whole disk, then all of it rewritten in 14 batches: 15 acknowledged, none applied (deferred;
    // a 16th waiting batch would make ingest apply them).
    await put(1, 0, disk.sizeBytes);
    const copied = sha(disk.read());
    const firstPoint = await cycle("copy", 1);
    disk.write(0, randomBytes(disk.sizeBytes));
    const step = Math.ceil(disk.sizeBytes / 14 / 4096) * 4096;
    let sequence = 1;
    for (let at = 0; at < disk.sizeBytes; at += step) await put(++sequence, at, Math.min(at + step, disk.sizeBytes));
    const secondPoint = await cycle("rewritten", sequence);

    // Verifying the newer point applies all of them under the replica's lease; the host dies once it holds it.
    const { job } = await first.expect<{ job: JobBody }>(
      first.post(`/projects/${r.projectId}/replicating-servers/${r.itemId}/recovery-points/${secondPoint}/verify`),
      202,
    );
    const ref = replicaRef(r.projectId, r.itemId, "disk0");
    const replica = BlobServiceClient.fromConnectionString(inject("storageConnectionString"))
      .getContainerClient(ref.container)
      .getPageBlobClient(ref.name);
    await eventually(
      () =>
        replica.getProperties().then(
          (p) => p.leaseState,
          () => undefined,
        ),
      (state) => state === "leased",
      { timeoutMs: 30_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    await hosts.at(-1)!.kill("SIGKILL");
    const cursors = TableClient.fromConnectionString(inject("storageConnectionString"), "FerryDiskCursors", {
      allowInsecureConnection: true,
    });
    const cursor = await cursors.getEntity<{ appliedSequence: number }>(r.itemId, "disk0");
    expect(cursor.appliedSequence, "the host died before apply finished").toBeLessThan(sequence);
    expect((await replica.getProperties()).leaseState, "the dead host's lease is still on the replica").toBe("leased");

    // The job resumes on the next host (same task hub), which waits out the lease and applies what is left.
    const second = await host({ FERRY_HUB_NAME: hub });
    const done = await eventually(
      () =>
        second.expect<JobBody & { result?: VerifyResult }>(second.get(`/projects/${r.projectId}/jobs/${job.id}`), 200),
      (body) => body.state === "Succeeded" || body.state === "Failed",
      { timeoutMs: 90_000 },
    );
    expect(done.state, JSON.stringify(done)).toBe("Succeeded");
    expect(done.result?.disks.map((d) => d.sha256)).toEqual([sha(disk.read())]);
    expect((await verifyPoint(second, r.projectId, r.itemId, firstPoint)).disks.map((d) => d.sha256)).toEqual([copied]);
    expect((await cursors.getEntity<{ appliedSequence: number }>(r.itemId, "disk0")).appliedSequence).toBe(sequence);
  }, 180_000);
});

describe("a host killed between two page writes of a delta's apply", { timeout: 180_000 }, () => {
  let rig: FaultRig;
  let source: FaultSource | undefined;
  beforeAll(async () => {
    rig = await FaultRig.start({ storage: inject("storageConnectionString") });
  });
  afterEach(async () => {
    await source?.dispose();
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it("has the next host apply the batch again from its staged copy: every point verifies", async () => {
    source = await FaultSource.enroll(rig);
    await source.seeded();
    const crashed = rig.crashAt(
      {
        service: "blob",
        method: "PUT",
        path: new RegExp(`/replicas/${source.enrolled.itemId}/disk0\\.vhd\\?.*comp=page`),
        from: 2,
      },
      "before",
    );
    await source.disks.write(24);
    await crashed;
    await source.disks.write(16);
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(3);
  });
});

// The process server end to end: signed batches into the real Ferry host, recovery points out,
// byte-exact against the source image files.
import { createHash, randomBytes } from "node:crypto";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { splitAgentKey } from "../../agent/signedClient";
import { parseVhdFooter } from "../../shared/replication/store";
import {
  AgentCalls,
  batchBytes,
  setUpReplication,
  SourceImage,
  verifyPoint,
  type Replication,
} from "../support/dataPathSetup";
import { facts, registerMachine, startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";

const MiB = 1024 * 1024;
let ferry: RunningFerry;
let r: Replication;
let agent: AgentCalls;
// disk1 ends mid-page: its size is a multiple of neither 4096 nor 512.
const disk0 = new SourceImage("disk0", 6 * MiB + 3 * 4096);
const disk1 = new SourceImage("disk1", 3 * MiB + 12345);
const next = { disk0: 1, disk1: 1 };
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const points: { id: string; disk0: string; disk1: string }[] = [];

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"));
  r = await setUpReplication(ferry.api, [
    { id: "disk0", sizeBytes: disk0.sizeBytes, isBoot: true },
    { id: "disk1", sizeBytes: disk1.sizeBytes, isBoot: false },
  ]);
  agent = new AgentCalls(ferry.api, r.credentials);
});
afterAll(async () => {
  await ferry?.stop();
});

async function send(image: SourceImage, start = 0, end = image.sizeBytes) {
  const key = image.diskId as "disk0" | "disk1";
  const batch = await batchBytes(r.machineId, image.diskId, 1, next[key], image.extents(start, end));
  const reply = await agent.putBatch(r.itemId, image.diskId, 1, next[key], batch);
  expect(reply.status, reply.text).toBe(200);
  expect(reply.body).toEqual({
    sequence: next[key],
    sha256: sha(batch.subarray(0, batch.length - 32)),
    duplicate: false,
  });
  next[key] += 1;
  return batch;
}

async function cycle(extra: object = {}) {
  const body = {
    cycleId: randomBytes(8).toString("hex"),
    sourceTime: new Date().toISOString(),
    type: "CrashConsistent",
    disks: [
      { diskId: "disk0", sequence: next.disk0 - 1 },
      { diskId: "disk1", sequence: next.disk1 - 1 },
    ],
    ...extra,
  };
  const reply = await agent.cycle(r.itemId, body);
  expect(reply.status, reply.text).toBe(200);
  points.push({ id: reply.body.recoveryPointId, disk0: sha(disk0.read()), disk1: sha(disk1.read()) });
  return { body, pointId: reply.body.recoveryPointId };
}

async function expectPointMatches(point: { id: string; disk0: string; disk1: string }) {
  const result = await verifyPoint(ferry.api, r.projectId, r.itemId, point.id);
  expect(result.disks).toEqual([
    { diskId: "disk0", sizeBytes: disk0.sizeBytes, sha256: point.disk0 },
    { diskId: "disk1", sizeBytes: disk1.sizeBytes, sha256: point.disk1 },
  ]);
}

describe("replicating disks into recovery points", () => {
  it("tells a seeding machine's agent to replicate each included disk from sequence 1 in Initial mode", async () => {
    const reply = await agent.heartbeat({ bytesSent: 0, bytesPerSecond: 0, backlogBytes: 9 * MiB });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.instructions).toMatchObject({
      action: "Replicate",
      itemId: r.itemId,
      epoch: 1,
      cycleIntervalSeconds: 300,
      appConsistentIntervalSeconds: 14400,
    });
    expect(reply.body.instructions.disks).toEqual([
      { diskId: "disk0", sizeBytes: disk0.sizeBytes, nextSequence: 1, mode: "Initial" },
      { diskId: "disk1", sizeBytes: disk1.sizeBytes, nextSequence: 1, mode: "Initial" },
    ]);
  });

  it("turns an initial copy into a first point that verifies byte-exact and completes seeding", async () => {
    await send(disk0, 0, 4 * MiB);
    await send(disk0, 4 * MiB);
    // Seed batches go straight to the replica: this one's bytes land before its trailer is found
    // bad. Its resend, a zero run included, must leave nothing of them.
    const garbage = await batchBytes(r.machineId, "disk1", 1, 1, [
      { kind: "data", offset: MiB, data: randomBytes(MiB) }, // over the source's zero run
      { kind: "data", offset: 3 * MiB, data: randomBytes(4096) },
    ]);
    garbage[garbage.length - 1] = (garbage[garbage.length - 1] as number) ^ 0xff;
    const refused = await agent.putBatch<ApiError>(r.itemId, "disk1", 1, 1, garbage);
    expect([refused.status, refused.body.error.code]).toEqual([400, "BatchChecksumMismatch"]);
    await send(disk1);
    const seeding = await ferry.api.expect<{ initialSeedingProgress: number; replicationStartedAt?: string }>(
      ferry.api.get(`/projects/${r.projectId}/replicating-servers/${r.itemId}`),
      200,
    );
    expect(seeding.initialSeedingProgress).toBe(99);
    const { body, pointId } = await cycle({ initialCopyComplete: true });
    const item = await ferry.api.expect<Record<string, unknown>>(
      ferry.api.get(`/projects/${r.projectId}/replicating-servers/${r.itemId}`),
      200,
    );
    expect(item).toMatchObject({
      migrationState: "Replicating",
      initialSeedingProgress: 100,
      lastRecoveryPointTime: body.sourceTime,
      health: "Normal",
    });
    expect(item.disks).toEqual([
      expect.objectContaining({ diskId: "disk0", bytesReplicated: disk0.sizeBytes }),
      expect.objectContaining({ diskId: "disk1", bytesReplicated: disk1.sizeBytes }),
    ]);
    const list = await ferry.api.expect<{ value: { id: string; time: string; type: string }[] }>(
      ferry.api.get(`/projects/${r.projectId}/replicating-servers/${r.itemId}/recovery-points`),
      200,
    );
    expect(list.value).toEqual([
      expect.objectContaining({ id: pointId, time: body.sourceTime, type: "CrashConsistent" }),
    ]);
    await expectPointMatches(points[0]!);
  });

  it("answers a resent cycle with the same point", async () => {
    const { body, pointId } = await cycle();
    const again = await agent.cycle(r.itemId, body);
    expect([again.status, again.body.recoveryPointId]).toEqual([200, pointId]);
  });

  it("applies delta batches into a later point while earlier points keep their bytes", async () => {
    disk0.write(5000, randomBytes(70_000));
    disk0.write(2 * MiB, Buffer.alloc(300_000));
    disk1.write(disk1.sizeBytes - 100, randomBytes(100));
    await send(disk0, 4096, 80 * 1024);
    await send(disk0, 2 * MiB, 2 * MiB + 304 * 1024);
    await send(disk1, disk1.sizeBytes - 4096 - (disk1.sizeBytes % 4096));
    const { pointId } = await cycle({ type: "Inconsistent" });
    const list = await ferry.api.expect<{ value: { id: string; type: string }[] }>(
      ferry.api.get(`/projects/${r.projectId}/replicating-servers/${r.itemId}/recovery-points`),
      200,
    );
    expect(list.value[0]).toMatchObject({ id: pointId, type: "Inconsistent" });
    await expectPointMatches(points[points.length - 1]!);
    await expectPointMatches(points[0]!);
  });

  it("answers a resent batch as before and applies it only once", async () => {
    disk1.write(1000, randomBytes(5000));
    const first = await send(disk1, 0, 8192);
    disk1.write(1000, randomBytes(5000));
    await send(disk1, 0, 8192);
    const resent = await agent.putBatch(r.itemId, "disk1", 1, next.disk1 - 2, first);
    expect(resent.status, resent.text).toBe(200);
    expect(resent.body).toEqual({
      sequence: next.disk1 - 2,
      sha256: sha(first.subarray(0, first.length - 32)),
      duplicate: true,
    });
    await cycle();
    await expectPointMatches(points[points.length - 1]!);
  });

  it("refuses a resent sequence with other content as a conflict, and a gap with the expected sequence", async () => {
    const other = await batchBytes(r.machineId, "disk0", 1, next.disk0 - 1, disk1.extents(0, 4096));
    const conflict = await agent.putBatch<ApiError>(r.itemId, "disk0", 1, next.disk0 - 1, other);
    expect([conflict.status, conflict.body.error.code]).toEqual([409, "BatchConflict"]);
    const ahead = await batchBytes(r.machineId, "disk0", 1, next.disk0 + 1, disk0.extents(0, 4096));
    const gap = await agent.putBatch<ApiError & { error: { expectedSequence: number } }>(
      r.itemId,
      "disk0",
      1,
      next.disk0 + 1,
      ahead,
    );
    expect([gap.status, gap.body.error.code, gap.body.error.expectedSequence]).toEqual([
      409,
      "SequenceGap",
      next.disk0,
    ]);
  });

  it("refuses corrupt, truncated, mis-addressed and mis-signed batches without changing the replica", async () => {
    const before = points[points.length - 1]!;
    // Incompressible, so the flipped byte lands in extent data as sent.
    const changed = randomBytes(8192);
    const good = await batchBytes(r.machineId, "disk0", 1, next.disk0, [{ kind: "data", offset: 0, data: changed }]);
    const flipped = Buffer.from(good);
    flipped[200] = (flipped[200] as number) ^ 0xff;
    const refusals: [Buffer, string, number][] = [
      [flipped, "ExtentChecksumMismatch", 400],
      [good.subarray(0, good.length - 40), "BatchTruncated", 400],
      [
        await batchBytes(r.machineId, "disk1", 1, next.disk0, [{ kind: "data", offset: 0, data: changed }]),
        "BatchWrongDisk",
        400,
      ],
      [
        await batchBytes("mch_other", "disk0", 1, next.disk0, [{ kind: "data", offset: 0, data: changed }]),
        "BatchWrongMachine",
        400,
      ],
      [
        await batchBytes(r.machineId, "disk0", 1, next.disk0, [
          { kind: "data", offset: disk0.sizeBytes - 100, data: randomBytes(4096) },
        ]),
        "ExtentBeyondDisk",
        400,
      ],
    ];
    for (const [body, code, status] of refusals) {
      const reply = await agent.putBatch<ApiError>(r.itemId, "disk0", 1, next.disk0, body);
      expect([reply.status, reply.body.error.code]).toEqual([status, code]);
    }
    const forged = await agent.putBatch<ApiError>(r.itemId, "disk0", 1, next.disk0, good, flipped);
    expect([forged.status, forged.body.error.code]).toEqual([401, "InvalidSignature"]);
    const epoch = await agent.putBatch<ApiError & { error: { expectedEpoch: number } }>(
      r.itemId,
      "disk0",
      2,
      next.disk0,
      good,
    );
    expect([epoch.status, epoch.body.error.code, epoch.body.error.expectedEpoch]).toEqual([409, "EpochMismatch", 1]);
    const unknownDisk = await agent.putBatch<ApiError>(r.itemId, "disk9", 1, 1, good);
    expect(unknownDisk.status).toBe(404);
    await cycle();
    expect(points[points.length - 1]).toMatchObject({ disk0: before.disk0, disk1: before.disk1 });
    await expectPointMatches(points[points.length - 1]!);
  });

  it("keeps another machine's agent away from this machine's item", async () => {
    const other = await registerMachine(ferry.api, r.passphrase, facts(`other-${randomBytes(3).toString("hex")}`));
    const intruder = new AgentCalls(ferry.api, splitAgentKey(other.agentKey), r.machineId);
    const batch = await batchBytes(r.machineId, "disk0", 1, next.disk0, disk0.extents(0, 4096));
    expect((await intruder.putBatch(r.itemId, "disk0", 1, next.disk0, batch)).status).toBe(403);
    const own = new AgentCalls(ferry.api, splitAgentKey(other.agentKey));
    const ownBatch = await batchBytes(other.machineId, "disk0", 1, next.disk0, disk0.extents(0, 4096));
    expect((await own.putBatch(r.itemId, "disk0", 1, next.disk0, ownBatch)).status).toBe(404);
    expect(
      (
        await own.cycle(r.itemId, {
          cycleId: "x",
          sourceTime: new Date().toISOString(),
          type: "CrashConsistent",
          disks: [],
        })
      ).status,
    ).toBe(404);
    expect((await own.heartbeat()).body.instructions).toMatchObject({ action: "Idle", disks: [] });
  });

  it("keeps each replica as a fixed VHD: MiB-rounded disk, then a valid footer", async () => {
    const blobs = BlobServiceClient.fromConnectionString(inject("storageConnectionString"));
    const container = blobs.getContainerClient(`ferry-${r.projectId.replace(/_/g, "-")}`);
    for (const image of [disk0, disk1]) {
      const blob = container.getPageBlobClient(`replicas/${r.itemId}/${image.diskId}.vhd`);
      const size = (await blob.getProperties()).contentLength ?? 0;
      const rounded = Math.ceil(image.sizeBytes / MiB) * MiB;
      expect(size).toBe(rounded + 512);
      expect(parseVhdFooter(await blob.downloadToBuffer(rounded, 512))).toMatchObject({
        sizeBytes: rounded,
        diskType: 2,
      });
      expect((await blob.downloadToBuffer(image.sizeBytes, rounded - image.sizeBytes)).every((b) => b === 0)).toBe(
        true,
      );
    }
    const staged: string[] = [];
    for await (const blob of container.listBlobsFlat({ prefix: `cache/${r.itemId}/` })) staged.push(blob.name);
    expect(staged).toEqual([]);
  });
});

// Change batches as a bad network delivers them, the test acting as the agent: the same batch
// three times at once and again later, batches overtaking each other, and batches of another
// replication epoch. Each batch is applied once and in order, a refused one changes nothing
// (the next sequence the agent is told stays where it was), and every point verifies.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { batchBytes, type BatchAckBody } from "../support/dataPathSetup";
import { startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";
import { SourceMachine, type DiskDigests } from "../support/lifecycleKit";
import { expectDrivenPoints } from "../support/pointChecks";

let ferry: RunningFerry;

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"));
});
afterAll(async () => {
  await ferry?.stop();
});

async function seeded(): Promise<{ source: SourceMachine; points: Map<string, DiskDigests> }> {
  const source = await SourceMachine.seeded(ferry.api);
  const [first] = await source.pointIds();
  return { source, points: new Map([[first!, source.digests()]]) };
}

/** Writes 64 KiB of random bytes at `offset` of disk0 and cuts that range into a batch at `sequence`. */
async function changedBatch(source: SourceMachine, offset: number, sequence: number, epoch = 1): Promise<Buffer> {
  const image = source.images[0]!;
  image.write(offset, randomBytes(65536));
  return batchBytes(source.r.machineId, "disk0", epoch, sequence, image.extents(offset, offset + 65536));
}

const put = (source: SourceMachine, sequence: number, batch: Buffer, epoch = 1) =>
  source.agent.putBatch<BatchAckBody & ApiError>(source.r.itemId, "disk0", epoch, sequence, batch);

async function nextSequenceTold(source: SourceMachine): Promise<number | undefined> {
  return (await source.instructions()).disks.find((disk) => disk.diskId === "disk0")?.nextSequence;
}

describe("batches delivered twice, out of order, or from another epoch", { timeout: 120_000 }, () => {
  it("applies a batch that arrives three times at once, and once more later, exactly once", async () => {
    const { source, points } = await seeded();
    const sequence = source.nextSequence("disk0");
    const batch = await changedBatch(source, 8192, sequence);
    const replies = await Promise.all([1, 2, 3].map(() => put(source, sequence, batch)));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(replies.map((r) => r.body.sha256)).size).toBe(1);
    expect(
      replies.filter((r) => !r.body.duplicate),
      "one copy is the batch, the others resends",
    ).toHaveLength(1);
    source.acknowledged("disk0", sequence);
    const point = await source.cycle();
    points.set(point.id, point.digests);
    const late = await put(source, sequence, batch);
    expect(late.status, late.text).toBe(200);
    expect(late.body).toMatchObject({ sequence, duplicate: true, sha256: replies[0]!.body.sha256 });
    expect(await nextSequenceTold(source)).toBe(sequence + 1);
    await source.changeAccepted();
    const after = await source.cycle();
    points.set(after.id, after.digests);
    await expectDrivenPoints(source, points);
  });

  it("refuses batches that overtake an earlier one with SequenceGap, keeps nothing of them, and takes them in order", async () => {
    const { source, points } = await seeded();
    const first = source.nextSequence("disk0");
    // Three overlapping writes, so the order they are applied in shows in the bytes.
    const batches: Buffer[] = [];
    for (let i = 0; i < 3; i += 1) batches.push(await changedBatch(source, 4096 * (10 + i * 4), first + i));
    for (const i of [2, 1]) {
      const early = await put(source, first + i, batches[i]!);
      expect(early.status, early.text).toBe(409);
      expect(early.body.error).toMatchObject({ code: "SequenceGap" });
      expect(JSON.stringify(early.body.error)).toContain(`"expectedSequence":${first}`);
    }
    expect(await nextSequenceTold(source)).toBe(first);
    for (const i of [0, 1, 2]) expect((await put(source, first + i, batches[i]!)).status).toBe(200);
    source.acknowledged("disk0", first + 2);
    const point = await source.cycle();
    points.set(point.id, point.digests);
    await expectDrivenPoints(source, points);
  });

  it("refuses batches of another epoch with EpochMismatch, changing nothing, while the current epoch's are taken", async () => {
    const { source, points } = await seeded();
    const sequence = source.nextSequence("disk0");
    const image = source.images[0]!;
    const held = image.read(4096 * 30, 65536);
    const stray = await changedBatch(source, 4096 * 30, sequence, 2);
    // The stray batch's bytes must never reach the replica: the source goes back to what it held.
    image.write(4096 * 30, held);
    const refused = await put(source, sequence, stray, 2);
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "EpochMismatch" });
    expect(JSON.stringify(refused.body.error)).toContain('"expectedEpoch":1');
    expect(await nextSequenceTold(source)).toBe(sequence);
    await source.changeAccepted();
    const point = await source.cycle();
    points.set(point.id, point.digests);
    await expectDrivenPoints(source, points);
  });
});

// Threat: a change batch's body swapped in transit. The signed headers are kept and another
// well-formed batch is sent under them; the signed digest no longer matches, so the request is
// refused with 401 InvalidSignature — and must change nothing, on each path a batch can take
// (a first copy written straight to the replica, a delta staged in the cache, a resync's re-read).
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  AgentCalls,
  batchBytes,
  setUpReplication,
  SourceImage,
  verifyPoint,
  type Replication,
} from "../support/dataPathSetup";
import { eventually } from "../support/eventually";
import { startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";
import { StoredState } from "../support/storedState";

const MiB = 1024 * 1024;
const sizeBytes = 8 * MiB;
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
let ferry: RunningFerry;
let stored: StoredState;

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"));
  stored = new StoredState(inject("storageConnectionString"));
});
afterAll(async () => {
  await ferry?.stop();
});

/** One replicated 8 MiB disk and the calls its agent makes. */
class Disk {
  readonly image = new SourceImage("disk0", sizeBytes);
  r!: Replication;
  agent!: AgentCalls;
  next = 1;

  async setUp(): Promise<this> {
    this.r = await setUpReplication(ferry.api, [{ id: "disk0", sizeBytes, isBoot: true }]);
    this.agent = new AgentCalls(ferry.api, this.r.credentials);
    return this;
  }

  batch(extents: Parameters<typeof batchBytes>[4]): Promise<Buffer> {
    return batchBytes(this.r.machineId, "disk0", 1, this.next, extents);
  }

  async send(start: number, end: number): Promise<void> {
    const reply = await this.agent.putBatch(
      this.r.itemId,
      "disk0",
      1,
      this.next,
      await this.batch(this.image.extents(start, end)),
    );
    expect(reply.status, reply.text).toBe(200);
    this.next += 1;
  }

  /** `sent` under the signature made for `signed`: a body swapped in transit. */
  async swapped(sent: Buffer, signed: Buffer): Promise<[number, string]> {
    const reply = await this.agent.putBatch<ApiError>(this.r.itemId, "disk0", 1, this.next, sent, signed);
    return [reply.status, reply.body.error.code];
  }

  async cycle(extra: object = {}): Promise<string> {
    const reply = await this.agent.cycle(this.r.itemId, {
      cycleId: randomBytes(8).toString("hex"),
      sourceTime: new Date().toISOString(),
      type: "CrashConsistent",
      disks: [{ diskId: "disk0", sequence: this.next - 1 }],
      ...extra,
    });
    expect(reply.status, reply.text).toBe(200);
    return reply.body.recoveryPointId;
  }

  async expectPointIsSource(pointId: string): Promise<void> {
    const result = await verifyPoint(ferry.api, this.r.projectId, this.r.itemId, pointId);
    expect(result.disks).toEqual([{ diskId: "disk0", sizeBytes, sha256: sha(this.image.read()) }]);
  }

  /** Waits until every acknowledged batch is on the replica, so nothing moves on its own meanwhile. */
  async settled(): Promise<void> {
    await eventually(
      () => stored.row("FerryDiskCursors", this.r.itemId, "disk0"),
      (row) => row !== undefined && row.appliedSequence === this.next - 1,
      { what: "apply to catch up" },
    );
  }

  /** Everything a batch could change: the item's rows, the committed cache blobs, the replica's bytes. */
  async state(replicaLength?: number) {
    const { projectId, itemId } = this.r;
    return {
      rows: await stored.itemRows(projectId, itemId),
      cache: await stored.cacheBlobs(projectId, itemId),
      replica: await stored.replicaSha(projectId, itemId, "disk0", 0, replicaLength),
    };
  }
}

const ee = (length: number) => Buffer.alloc(length, 0xee);

describe("a change batch whose body was swapped in transit", () => {
  it("is refused during a first copy without a byte of it reaching acknowledged data", async () => {
    const disk = await new Disk().setUp();
    await disk.send(0, 4 * MiB);
    await disk.settled();
    const legit = await disk.batch(disk.image.extents(4 * MiB, sizeBytes));
    const before = await disk.state();

    // Over bytes batch 1 acknowledged: nothing at all may change.
    const overAcked = await disk.batch([{ kind: "data", offset: 0, data: ee(MiB) }]);
    expect(await disk.swapped(overAcked, legit)).toEqual([401, "InvalidSignature"]);
    expect(await disk.state()).toEqual(before);

    // Past everything acknowledged: the acknowledged 4 MiB and every row stay as they were.
    const beyond = await disk.batch([{ kind: "data", offset: 6 * MiB, data: ee(MiB) }]);
    expect(await disk.swapped(beyond, legit)).toEqual([401, "InvalidSignature"]);
    const after = await disk.state(4 * MiB);
    expect(after.rows).toEqual(before.rows);
    expect(after.cache).toEqual(before.cache);
    expect(after.replica).toBe(sha(disk.image.read(0, 4 * MiB)));

    await disk.send(4 * MiB, sizeBytes);
    await disk.expectPointIsSource(await disk.cycle({ initialCopyComplete: true }));
  });

  it("is refused in delta replication and leaves rows, cache and replica as they were", async () => {
    const disk = await new Disk().setUp();
    await disk.send(0, sizeBytes);
    await disk.cycle({ initialCopyComplete: true });
    disk.image.write(2 * MiB, randomBytes(64 * 1024));
    await disk.settled();
    const legit = await disk.batch(disk.image.extents(2 * MiB, 2 * MiB + 64 * 1024));
    const before = await disk.state();

    const forged = await disk.batch([{ kind: "data", offset: 0, data: ee(MiB) }]);
    expect(await disk.swapped(forged, legit)).toEqual([401, "InvalidSignature"]);
    await new Promise((resolve) => setTimeout(resolve, 500)); // past the inline apply's grace
    expect(await disk.state()).toEqual(before);

    const reply = await disk.agent.putBatch(disk.r.itemId, "disk0", 1, disk.next, legit);
    expect(reply.status, reply.text).toBe(200);
    disk.next += 1;
    await disk.expectPointIsSource(await disk.cycle());
  });

  it("is refused during a resync's re-read and leaves rows, cache and replica as they were", async () => {
    const disk = await new Disk().setUp();
    await disk.send(0, sizeBytes);
    await disk.cycle({ initialCopyComplete: true });
    const since = new Date().toISOString();
    const asked = await disk.agent.send<{ instructions: { resyncId?: string; disks: { mode: string }[] } }>(
      "POST",
      `/agent/machines/${disk.r.machineId}/heartbeat`,
      Buffer.from(
        JSON.stringify({
          figures: { bytesSent: 0, bytesPerSecond: 0, backlogBytes: 0 },
          resyncNeeded: [{ diskId: "disk0", reason: "journal lost", since }],
        }),
      ),
      "application/json",
    );
    expect(asked.body.instructions.disks[0]?.mode, asked.text).toBe("Resync");
    const resyncId = asked.body.instructions.resyncId;
    disk.image.write(5 * MiB, randomBytes(MiB));
    await disk.settled();
    const legit = await disk.batch(disk.image.extents(0, sizeBytes));
    const before = await disk.state();

    const forged = await disk.batch([
      { kind: "data", offset: 0, data: ee(MiB) },
      { kind: "zero", offset: MiB, length: sizeBytes - MiB },
    ]);
    expect(await disk.swapped(forged, legit)).toEqual([401, "InvalidSignature"]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await disk.state()).toEqual(before);

    const reply = await disk.agent.putBatch(disk.r.itemId, "disk0", 1, disk.next, legit);
    expect(reply.status, reply.text).toBe(200);
    disk.next += 1;
    await disk.expectPointIsSource(await disk.cycle({ initialCopyComplete: true, resyncId }));
  });
});

// A replicated source machine the lifecycle suites drive as its agent (signed heartbeats,
// change batches cut from real image files, cycles), and what they check on the target VMs.
import { createHash, randomBytes, randomInt } from "node:crypto";
import { expect } from "vitest";
import type { Extent } from "../../shared/replication/wire";
import { parseVhdFooter, replicaBlobBytes, vhdDiskBytes } from "../../shared/replication/store";
import {
  AgentCalls,
  batchBytes,
  setUpReplication,
  SourceImage,
  type BatchAckBody,
  type Instructions,
  type Replication,
} from "./dataPathSetup";
import { eventually } from "./eventually";
import { type ApiError, type ApiReply, type FerryApi, type ProjectSetUp } from "./ferryApi";

export const MiB = 1024 * 1024;
export const sha256 = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");

export interface LifecycleJob {
  id: string;
  operation: string;
  state: string;
  tasks: { name: string; state: string; note?: string }[];
  errors: { code: string; message: string }[];
  warnings: string[];
}

export interface ItemBody {
  migrationState: string;
  testMigrateState: string;
  replicationPaused: boolean;
  resyncInProgress: boolean;
  allowedOperations: string[];
  currentJobId?: string;
  lastRecoveryPointTime?: string;
  lastProcessedPointTime?: string;
  target: { vmName: string; network: string };
}

export interface VmBody {
  id: string;
  itemId: string;
  name: string;
  kind: string;
  network: string;
  subnet?: string;
  recoveryPointId: string;
  disks: { diskId: string; sizeBytes: number; vhdSizeBytes: number }[];
  createdAt: string;
  networkInterface: { privateIpAddress: string };
}

/** What the source disks held when a point was taken: SHA-256 per disk id. */
export type DiskDigests = Record<string, string>;

export type PointType = "CrashConsistent" | "ApplicationConsistent" | "Inconsistent";

const finishedStates = ["Succeeded", "Failed", "Cancelled"];

/** One source machine under replication, driven by the test as its agent. */
export class SourceMachine {
  agent: AgentCalls;
  private readonly next = new Map<string, number>();
  private lastSourceTime = 0;

  private constructor(
    public api: FerryApi,
    readonly r: Replication,
    readonly images: SourceImage[],
    readonly epoch = 1,
  ) {
    this.agent = new AgentCalls(api, r.credentials);
    for (const image of images) this.next.set(image.diskId, 1);
  }

  /** Talks to another host from now on (e.g. Ferry restarted after a crash). */
  useApi(api: FerryApi): void {
    this.api = api;
    this.agent = new AgentCalls(api, this.r.credentials);
  }

  /** Replication enabled, every disk copied and a first crash-consistent point: the item is Replicating. */
  static async seeded(
    api: FerryApi,
    sizes = [2 * MiB + 3 * 4096, MiB + 12345],
    project?: ProjectSetUp,
  ): Promise<SourceMachine> {
    const images = sizes.map((size, i) => new SourceImage(`disk${i}`, size));
    const r = await setUpReplication(
      api,
      images.map((image, i) => ({ id: image.diskId, sizeBytes: image.sizeBytes, isBoot: i === 0 })),
      project,
    );
    const machine = new SourceMachine(api, r, images);
    for (const image of images) expect((await machine.sendRange(image, 0, image.sizeBytes)).status).toBe(200);
    await machine.cycle("CrashConsistent", { initialCopyComplete: true }, false);
    expect((await machine.item()).migrationState).toBe("Replicating");
    return machine;
  }

  get path(): string {
    return `/projects/${this.r.projectId}/replicating-servers/${this.r.itemId}`;
  }

  /** The sequence a disk's next batch takes. */
  nextSequence(diskId: string): number {
    return this.next.get(diskId) ?? 1;
  }

  /** A batch the test sent by hand was acknowledged: later batches and cycles follow it. */
  acknowledged(diskId: string, sequence: number): void {
    if (sequence >= this.nextSequence(diskId)) this.next.set(diskId, sequence + 1);
  }

  /** Sends [start, end) of an image as the next batch of its disk; the sequence advances only when accepted. */
  async sendRange(image: SourceImage, start: number, end: number): Promise<ApiReply<BatchAckBody>> {
    return this.sendExtents(image, image.extents(start, end));
  }

  /** Sends extents of an image as the next batch of its disk; the sequence advances only when accepted. */
  async sendExtents(image: SourceImage, extents: Extent[]): Promise<ApiReply<BatchAckBody>> {
    const sequence = this.next.get(image.diskId) ?? 1;
    const batch = await batchBytes(this.r.machineId, image.diskId, this.epoch, sequence, extents);
    const reply = await this.agent.putBatch(this.r.itemId, image.diskId, this.epoch, sequence, batch);
    if (reply.status === 200) this.next.set(image.diskId, sequence + 1);
    return reply;
  }

  /** Writes random blocks into every disk; sends them unless told not to. Returns the replies. */
  async change(send = true): Promise<ApiReply<BatchAckBody | ApiError>[]> {
    const replies: ApiReply<BatchAckBody | ApiError>[] = [];
    for (const image of this.images) {
      const offset = randomInt(0, Math.floor(image.sizeBytes / 4096) - 2) * 4096;
      image.write(offset, randomBytes(8192));
      if (send) replies.push(await this.sendRange(image, offset, offset + 8192));
    }
    return replies;
  }

  /** Sends a change and expects every batch acknowledged. */
  async changeAccepted(): Promise<void> {
    for (const reply of await this.change()) expect(reply.status, reply.text).toBe(200);
  }

  digests(): DiskDigests {
    return Object.fromEntries(this.images.map((image) => [image.diskId, sha256(image.read())]));
  }

  cycleBody(type: PointType, extra: object = {}): object {
    this.lastSourceTime = Math.max(Date.now(), this.lastSourceTime + 1);
    const disks = this.images.map((image) => ({
      diskId: image.diskId,
      sequence: (this.next.get(image.diskId) ?? 1) - 1,
    }));
    return {
      cycleId: randomBytes(8).toString("hex"),
      sourceTime: new Date(this.lastSourceTime).toISOString(),
      type,
      disks,
      ...extra,
    };
  }

  /**
   * Ends a cycle (must be accepted): the point's id and what the source held. Unless told not to,
   * waits until the point is processed, so that LatestProcessed names it; not for a final cycle,
   * whose point the migration waiting for it reads itself.
   */
  async cycle(
    type: PointType = "CrashConsistent",
    extra: { final?: boolean; initialCopyComplete?: boolean; sourceTime?: string } = {},
    processed = extra.final !== true,
  ): Promise<{ id: string; digests: DiskDigests }> {
    const reply = await this.agent.cycle(this.r.itemId, this.cycleBody(type, extra));
    expect(reply.status, reply.text).toBe(200);
    const id = reply.body.recoveryPointId;
    const digests = this.digests();
    if (processed) {
      await eventually(
        () =>
          this.api.expect<{ value: { id: string; processed: boolean }[] }>(
            this.api.get(`${this.path}/recovery-points`),
            200,
          ),
        (list) => list.value.some((p) => p.id === id && p.processed),
        { what: `point ${id} to be processed` },
      );
    }
    return { id, digests };
  }

  async instructions(): Promise<Instructions> {
    const reply = await this.agent.heartbeat();
    expect(reply.status, reply.text).toBe(200);
    return reply.body.instructions;
  }

  waitForAction(action: string): Promise<Instructions> {
    return eventually(
      () => this.instructions(),
      (i) => i.action === action,
      { what: `the instruction ${action}` },
    );
  }

  async item(): Promise<ItemBody> {
    return this.api.expect<ItemBody>(this.api.get(this.path), 200);
  }

  async pointIds(): Promise<string[]> {
    return (
      await this.api.expect<{ value: { id: string }[] }>(this.api.get(`${this.path}/recovery-points`), 200)
    ).value.map((p) => p.id);
  }

  operation<T = { job: LifecycleJob }>(segment: string, body?: object): Promise<ApiReply<T>> {
    return this.api.post<T>(`${this.path}/${segment}`, body);
  }

  /** Starts an operation, expecting 202 with the job and where to poll it. */
  async start(segment: string, body?: object): Promise<LifecycleJob> {
    const reply = await this.operation(segment, body);
    expect(reply.status, reply.text).toBe(202);
    expect(reply.headers.get("location")).toBe(`/api/projects/${this.r.projectId}/jobs/${reply.body.job.id}`);
    return reply.body.job;
  }

  job(jobId: string): Promise<LifecycleJob> {
    return this.api.expect<LifecycleJob>(this.api.get(`/projects/${this.r.projectId}/jobs/${jobId}`), 200);
  }

  /** Polls without pausing (to act inside a short window) until `task` is past `state` or the job has ended. */
  async taskPast(jobId: string, task: string, state: "NotStarted" | "InProgress"): Promise<LifecycleJob> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const job = await this.job(jobId);
      const current = job.tasks.find((t) => t.name === task)?.state;
      if (
        (current !== state && current !== "NotStarted") ||
        finishedStates.includes(job.state) ||
        Date.now() > deadline
      )
        return job;
    }
  }

  /**
   * Cancels a job once `task` has started, so the cancel lands after what the task makes. The
   * window is short on an idle host: a cancel refused (past the job's last task) is returned with
   * `cancelled` false. An accepted cancel always ends the job Cancelled, a refused one changes nothing.
   */
  async cancelOnceStarted(jobId: string, task: string): Promise<{ cancelled: boolean; job: LifecycleJob }> {
    await this.taskPast(jobId, task, "NotStarted");
    const reply = await this.api.post(`/projects/${this.r.projectId}/jobs/${jobId}/cancel`);
    const job = await this.settled(jobId);
    expect([202, 409]).toContain(reply.status);
    expect(job.state, reply.text).toBe(reply.status === 202 ? "Cancelled" : "Succeeded");
    return { cancelled: reply.status === 202, job };
  }

  settled(jobId: string, timeoutMs = 30_000): Promise<LifecycleJob> {
    return eventually(
      () => this.job(jobId),
      (job) => finishedStates.includes(job.state),
      { timeoutMs, what: `job ${jobId} to end` },
    );
  }

  /** Runs an operation to its end and expects it to succeed. */
  async run(segment: string, body?: object): Promise<LifecycleJob> {
    const job = await this.settled((await this.start(segment, body)).id);
    expect(job.state, JSON.stringify(job)).toBe("Succeeded");
    return job;
  }

  async vms(): Promise<VmBody[]> {
    const list = await this.api.expect<{ value: VmBody[] }>(
      this.api.get(`/projects/${this.r.projectId}/virtual-machines`),
      200,
    );
    return list.value.filter((vm) => vm.itemId === this.r.itemId);
  }
}

export async function downloadDisk(
  api: FerryApi,
  projectId: string,
  vmId: string,
  diskId: string,
): Promise<{ status: number; body: Buffer }> {
  const response = await fetch(api.url(`/projects/${projectId}/virtual-machines/${vmId}/disks/${diskId}`), {
    headers: { authorization: `Bearer ${api.operatorKey}` },
  });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

/** Each VM disk is a fixed VHD: the source bytes (byte for byte, by SHA-256), zero padding to a whole MiB, then the footer. */
export async function expectVmDisksEqual(machine: SourceMachine, vm: VmBody, digests: DiskDigests): Promise<void> {
  expect(vm.disks.map((d) => d.diskId)).toEqual(machine.images.map((image) => image.diskId));
  for (const image of machine.images) {
    const { status, body } = await downloadDisk(machine.api, machine.r.projectId, vm.id, image.diskId);
    expect(status).toBe(200);
    expect(body.length).toBe(replicaBlobBytes(image.sizeBytes));
    expect(sha256(body.subarray(0, image.sizeBytes)), `disk ${image.diskId}`).toBe(digests[image.diskId]);
    expect(body.subarray(image.sizeBytes, body.length - 512).every((b) => b === 0)).toBe(true);
    expect(parseVhdFooter(body.subarray(body.length - 512))?.sizeBytes).toBe(vhdDiskBytes(image.sizeBytes));
  }
}

export function taskStates(job: LifecycleJob): [string, string][] {
  return job.tasks.map((t) => [t.name, t.state]);
}

/** Two identical requests at once: exactly one starts the job, the other names it in 409 OperationInProgress. */
export async function expectOneWinner(machine: SourceMachine, segment: string, body?: object): Promise<LifecycleJob> {
  const replies = await Promise.all([
    machine.operation<{ job: LifecycleJob } & ApiError>(segment, body),
    machine.operation<{ job: LifecycleJob } & ApiError>(segment, body),
  ]);
  const won = replies.filter((r) => r.status === 202);
  const lost = replies.filter((r) => r.status !== 202);
  expect(won, replies.map((r) => r.text).join("\n")).toHaveLength(1);
  expect(lost[0]?.status).toBe(409);
  expect(lost[0]?.body.error).toMatchObject({ code: "OperationInProgress", jobId: won[0]?.body.job.id });
  return won[0]!.body.job;
}

// The process server's side of replication, driven as an agent would: signed heartbeats,
// change batches built with encodeBatch from image files, and cycles.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { signRequest, type AgentCredentials, splitAgentKey } from "../../agent/signedClient";
import { AdaptiveCompressor, encodeBatch, type Extent } from "../../shared/replication/wire";
import { tempDir } from "./agentCli";
import {
  facts,
  registerMachine,
  setUpProject,
  target,
  waitForJob,
  type ApiReply,
  type ProjectSetUp,
  type FerryApi,
  type JobBody,
} from "./ferryApi";

export interface Replication {
  projectId: string;
  machineId: string;
  itemId: string;
  credentials: AgentCredentials;
  passphrase: string;
}

/** A project (a new one unless given), a machine with these disks, and replication enabled and seeding. */
export async function setUpReplication(
  api: FerryApi,
  disks: { id: string; sizeBytes: number; isBoot: boolean }[],
  given?: ProjectSetUp,
): Promise<Replication> {
  const project = given ?? (await setUpProject(api));
  const hostname = `src-${randomBytes(3).toString("hex")}`;
  const machine = await registerMachine(api, project.passphrase, facts(hostname, { disks }));
  const policies = await api.expect<{ value: { id: string }[] }>(
    api.get(`/projects/${project.projectId}/policies`),
    200,
  );
  const started = await api.expect<{ item: { id: string }; job: { id: string } }>(
    api.post(`/projects/${project.projectId}/replications`, {
      machineId: machine.machineId,
      policyId: policies.value[0].id,
      target,
    }),
    202,
  );
  const job = await waitForJob(api, project.projectId, started.job.id);
  if (job.state !== "Succeeded") throw new Error(`Enable replication failed: ${JSON.stringify(job)}`);
  return {
    projectId: project.projectId,
    machineId: machine.machineId,
    itemId: started.item.id,
    credentials: splitAgentKey(machine.agentKey),
    passphrase: project.passphrase,
  };
}

/** Signed agent calls; bodies and signatures can be set apart to forge requests. */
export class AgentCalls {
  constructor(
    private readonly api: FerryApi,
    readonly credentials: AgentCredentials,
    readonly machineId = credentials.machineId,
  ) {}

  async send<T>(
    method: string,
    route: string,
    body: Buffer,
    contentType: string,
    signedBody = body,
  ): Promise<ApiReply<T>> {
    const headers = {
      ...signRequest(this.credentials, method, this.api.url(route), signedBody),
      "content-type": contentType,
    };
    return this.api.request<T>(method, route, { rawBody: body, headers, authorization: null });
  }

  /** A signed heartbeat with these figures, and whatever else of the heartbeat's body is given (problems…). */
  heartbeat<T = { instructions: Instructions }>(
    figures = { bytesSent: 0, bytesPerSecond: 0, backlogBytes: 0 },
    more: Record<string, unknown> = {},
  ) {
    return this.send<T>(
      "POST",
      `/agent/machines/${this.machineId}/heartbeat`,
      Buffer.from(JSON.stringify({ figures, ...more })),
      "application/json",
    );
  }

  putBatch<T = BatchAckBody>(
    itemId: string,
    diskId: string,
    epoch: number,
    sequence: number,
    batch: Buffer,
    signedBody?: Buffer,
  ) {
    const route = `/agent/machines/${this.machineId}/items/${itemId}/disks/${diskId}/batches/${epoch}/${sequence}`;
    return this.send<T>("PUT", route, batch, "application/octet-stream", signedBody);
  }

  cycle<T = { recoveryPointId: string }>(itemId: string, body: object) {
    return this.send<T>(
      "POST",
      `/agent/machines/${this.machineId}/items/${itemId}/cycles`,
      Buffer.from(JSON.stringify(body)),
      "application/json",
    );
  }
}

export interface Instructions {
  action: string;
  itemId?: string;
  epoch?: number;
  cycleIntervalSeconds: number;
  appConsistentIntervalSeconds: number;
  disks: { diskId: string; sizeBytes: number; nextSequence: number; mode: string }[];
}

export interface BatchAckBody {
  sequence: number;
  sha256: string;
  duplicate: boolean;
}

/** A source disk as an image file the test changes between cycles. */
export class SourceImage {
  readonly file: string;

  constructor(
    readonly diskId: string,
    readonly sizeBytes: number,
    dir = tempDir("ferry-dp-"),
  ) {
    this.file = path.join(dir, `${diskId}.img`);
    const bytes = randomBytes(sizeBytes);
    bytes.fill(0, Math.floor(sizeBytes / 3), Math.floor(sizeBytes / 3) + 600_000); // a zero run mid-disk
    fs.writeFileSync(this.file, bytes);
  }

  read(offset = 0, length = this.sizeBytes - offset): Buffer {
    const out = Buffer.alloc(length);
    const fd = fs.openSync(this.file, "r");
    try {
      fs.readSync(fd, out, 0, length, offset);
    } finally {
      fs.closeSync(fd);
    }
    return out;
  }

  write(offset: number, bytes: Buffer): void {
    const fd = fs.openSync(this.file, "r+");
    try {
      fs.writeSync(fd, bytes, 0, bytes.length, offset);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Block extents of [start, end) as the agent sends them: 4 KiB blocks, zero blocks as zero runs, adjacent kinds coalesced. */
  extents(start = 0, end = this.sizeBytes): Extent[] {
    const bytes = this.read(start, end - start);
    const out: Extent[] = [];
    for (let at = 0; at < bytes.length; at += 4096) {
      const block = bytes.subarray(at, Math.min(bytes.length, at + 4096));
      const zero = block.every((b) => b === 0);
      const last = out[out.length - 1];
      const offset = start + at;
      if (last && zero && last.kind === "zero" && last.offset + last.length === offset) last.length += block.length;
      else if (
        last &&
        !zero &&
        last.kind === "data" &&
        last.offset + last.data.length === offset &&
        last.data.length < 4 * 1024 * 1024
      ) {
        out[out.length - 1] = { kind: "data", offset: last.offset, data: Buffer.concat([last.data, block]) };
      } else
        out.push(
          zero ? { kind: "zero", offset, length: block.length } : { kind: "data", offset, data: Buffer.from(block) },
        );
    }
    return out;
  }
}

/** A change batch on the wire. */
export async function batchBytes(
  machineId: string,
  diskId: string,
  epoch: number,
  sequence: number,
  extents: Extent[],
): Promise<Buffer> {
  const header = {
    machineId,
    diskId,
    epoch,
    sequence,
    flags: { final: false, appConsistent: false, crashConsistent: true },
  };
  const parts: Buffer[] = [];
  for await (const part of encodeBatch(header, extents, { compressor: new AdaptiveCompressor() })) parts.push(part);
  return Buffer.concat(parts);
}

export interface VerifyResult {
  recoveryPointId: string;
  disks: { diskId: string; sizeBytes: number; sha256: string }[];
}

/** Starts a verification and waits for its result. */
export async function verifyPoint(
  api: FerryApi,
  projectId: string,
  itemId: string,
  pointId: string,
): Promise<VerifyResult> {
  const { job } = await api.expect<{ job: JobBody }>(
    api.post(`/projects/${projectId}/replicating-servers/${itemId}/recovery-points/${pointId}/verify`),
    202,
  );
  const done = await waitForJob(api, projectId, job.id);
  if (done.state !== "Succeeded") throw new Error(`Verification failed: ${JSON.stringify(done)}`);
  return (done as JobBody & { result: VerifyResult }).result;
}

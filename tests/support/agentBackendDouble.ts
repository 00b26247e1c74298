/**
 * A test double of the Ferry backend's agent endpoints (register, heartbeat, batch PUT, cycle
 * POST) on node:http, with real signature checks (shared/security/agentSignature) and real
 * batch decoding (shared/replication/wire) applied to replica files, so a test can
 * compare the replica with the source byte for byte. The agent under test is the real CLI.
 */
import { createHash, randomBytes } from "node:crypto";
import { newId } from "../../shared/domain/ids";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { CycleRequest, Instructions } from "../../agent/run/protocol";
import { signatureHeaders, verify } from "../../shared/security/agentSignature";
import { batchLimits, readBatch, type BatchFlags, type Extent } from "../../shared/replication/wire";
import { eventually } from "./eventually";
import { applyExtents, createReplica, type ReplicaDisk } from "./replicaDisk";

export interface ReceivedBatch {
  diskId: string;
  sequence: number;
  status: number;
  /** Body bytes as they arrived, whatever the answer. */
  wireBytes: number;
  dataBytes: number;
  flags?: BatchFlags;
  at: number;
}

export interface ReceivedCycle extends CycleRequest {
  recoveryPointId: string;
  at: number;
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Called before a batch is judged; a reply replaces the normal answer (fault injection). */
export type BatchHook = (
  batch: { diskId: string; sequence: number },
  backend: AgentBackendDouble,
) => Reply | undefined | Promise<Reply | undefined>;

export type Controls = Omit<Instructions, "disks">;

export class AgentBackendDouble {
  readonly disks = new Map<string, ReplicaDisk>();
  readonly batches: ReceivedBatch[] = [];
  readonly cycles: ReceivedCycle[] = [];
  readonly heartbeats: Array<{ at: number; body: unknown }> = [];
  controls: Controls = {
    action: "Idle",
    itemId: newId("item", new Date(), randomBytes),
    epoch: 1,
    cycleIntervalSeconds: 1,
    appConsistentIntervalSeconds: 0,
  };
  beforeBatch: BatchHook | undefined;
  machineId = "";
  private secret = "";
  private readonly nonces = new Set<string>();
  private server!: http.Server;
  url = "";

  private constructor(
    private readonly dir: string,
    private readonly passphrase: string,
  ) {}

  static async start(dir: string, passphrase: string): Promise<AgentBackendDouble> {
    const backend = new AgentBackendDouble(dir, passphrase);
    backend.server = http.createServer((request, response) => void backend.handle(request, response));
    await new Promise<void>((resolve) => backend.server.listen(0, "127.0.0.1", resolve));
    backend.url = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}/api`;
    return backend;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  replica(diskId = "disk0"): ReplicaDisk {
    const disk = this.disks.get(diskId);
    if (!disk) throw new Error(`No replica of ${diskId}.`);
    return disk;
  }

  acked(diskId = "disk0"): ReceivedBatch[] {
    return this.batches.filter((batch) => batch.diskId === diskId && batch.status === 200);
  }

  wireBytes(from = 0): number {
    return this.batches.slice(from).reduce((sum, batch) => sum + batch.wireBytes, 0);
  }

  async waitFor(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
    await eventually(condition, (met) => met, { timeoutMs, intervalMs: 25, what: () => what });
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    try {
      const reply = await this.route(request);
      response
        .writeHead(reply.status, { "content-type": "application/json", ...reply.headers })
        .end(JSON.stringify(reply.body));
    } catch (error) {
      response
        .writeHead(500, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { code: "Internal", message: String(error) } }));
    }
  }

  private async route(request: http.IncomingMessage): Promise<Reply> {
    const url = new URL(request.url ?? "/", "http://double");
    if (request.method === "POST" && url.pathname === "/api/agent/register")
      return this.register(await readAll(request));
    const m =
      /^\/api\/agent\/machines\/([^/]+)\/(heartbeat|items\/([^/]+)\/(cycles|disks\/([^/]+)\/batches\/(\d+)\/(\d+)))$/.exec(
        url.pathname,
      );
    if (!m || m[1] !== this.machineId) return drained(request, { status: 404, body: error("NotFound", url.pathname) });
    const batch =
      m[5] !== undefined
        ? { diskId: decodeURIComponent(m[5]), epoch: Number(m[6]), sequence: Number(m[7]) }
        : undefined;
    if (batch && request.method === "PUT") return this.putBatch(request, url, batch);
    const body = await readAll(request);
    const problem = this.authenticate(request, url, createHash("sha256").update(body).digest("hex"));
    if (problem) return problem;
    const json = JSON.parse(body.toString("utf8") || "{}") as unknown;
    if (m[2] === "heartbeat") return this.heartbeat(json);
    if (m[4] === "cycles") return this.cycle(json as CycleRequest);
    return { status: 404, body: error("NotFound", url.pathname) };
  }

  private async register(body: Buffer): Promise<Reply> {
    const request = JSON.parse(body.toString("utf8")) as {
      passphrase: string;
      machine: { disks: Array<{ id: string; sizeBytes: number }> };
    };
    if (request.passphrase !== this.passphrase) return { status: 401, body: error("Unauthorized", "wrong passphrase") };
    this.machineId = newId("machine", new Date(), randomBytes);
    this.secret = randomBytes(24).toString("base64url");
    for (const disk of request.machine.disks) {
      this.disks.set(
        disk.id,
        await createReplica(disk.id, disk.sizeBytes, path.join(this.dir, `replica-${disk.id}.img`), 1),
      );
    }
    return { status: 200, body: { machineId: this.machineId, agentKey: `ak_${this.machineId}.${this.secret}` } };
  }

  /** The signature over method, path, body digest, time, nonce and fingerprint; undefined when it holds. */
  private authenticate(request: http.IncomingMessage, url: URL, bodySha256: string): Reply | undefined {
    const header = (name: string) => String(request.headers[name] ?? "");
    const parts = {
      method: request.method ?? "",
      pathAndQuery: url.pathname + url.search,
      contentSha256: header(signatureHeaders.contentSha256),
      timestamp: header(signatureHeaders.timestamp),
      nonce: header(signatureHeaders.nonce),
      ...(request.headers[signatureHeaders.fingerprint] === undefined
        ? {}
        : { fingerprint: header(signatureHeaders.fingerprint) }),
    };
    const problem =
      header(signatureHeaders.machine) !== this.machineId
        ? "WrongMachine"
        : (verify(parts, header(signatureHeaders.signature), this.secret, Date.now()) ??
          (this.nonces.has(parts.nonce) ? "Replayed" : parts.contentSha256 !== bodySha256 ? "BodyDigest" : undefined));
    this.nonces.add(parts.nonce);
    return problem ? { status: 401, body: error("InvalidSignature", problem) } : undefined;
  }

  private heartbeat(body: unknown): Reply {
    this.heartbeats.push({ at: Date.now(), body });
    const disks = [...this.disks.values()].map((disk) => ({
      diskId: disk.diskId,
      sizeBytes: disk.sizeBytes,
      nextSequence: disk.nextSequence,
      mode: disk.mode,
    }));
    return { status: 200, body: { instructions: { ...this.controls, disks } } };
  }

  private cycle(body: CycleRequest): Reply {
    const recoveryPointId = newId("recoveryPoint", new Date(), randomBytes);
    this.cycles.push({ ...body, recoveryPointId, at: Date.now() });
    if (body.initialCopyComplete) for (const disk of this.disks.values()) disk.mode = "Delta";
    return { status: 200, body: { recoveryPointId } };
  }

  private async putBatch(
    request: http.IncomingMessage,
    url: URL,
    target: { diskId: string; epoch: number; sequence: number },
  ): Promise<Reply> {
    const record: ReceivedBatch = {
      diskId: target.diskId,
      sequence: target.sequence,
      status: 0,
      wireBytes: 0,
      dataBytes: 0,
      at: Date.now(),
    };
    this.batches.push(record);
    const counted = countBytes(request, (n) => {
      record.wireBytes += n;
    });
    const reply = await this.judgeBatch(request, url, target, counted, record);
    record.status = reply.status;
    return reply;
  }

  private async judgeBatch(
    request: http.IncomingMessage,
    url: URL,
    target: { diskId: string; epoch: number; sequence: number },
    body: CountedBody,
    record: ReceivedBatch,
  ): Promise<Reply> {
    const fault = await this.beforeBatch?.(target, this);
    if (fault) return drained(body.chunks, fault);
    const disk = this.disks.get(target.diskId);
    if (!disk) return drained(body.chunks, { status: 404, body: error("NotFound", target.diskId) });
    const decoded = await decodeAll(body, disk.sizeBytes);
    if ("problem" in decoded) return { status: 400, body: error(decoded.problem, "batch") };
    const problem = this.authenticate(request, url, body.sha256());
    if (problem) return problem;
    record.flags = decoded.flags;
    record.dataBytes = decoded.extents.reduce(
      (sum, extent) => sum + (extent.kind === "data" ? extent.data.length : 0),
      0,
    );
    if (target.epoch !== this.controls.epoch) return { status: 409, body: error("EpochMismatch", "epoch") };
    if (target.sequence < disk.nextSequence && disk.applied.has(target.sequence)) {
      return {
        status: 200,
        body: { sequence: target.sequence, sha256: disk.applied.get(target.sequence), duplicate: true },
      };
    }
    if (target.sequence !== disk.nextSequence)
      return {
        status: 409,
        body: { error: { code: "SequenceGap", message: "gap", expectedSequence: disk.nextSequence } },
      };
    await applyExtents(disk, decoded.extents);
    disk.applied.set(target.sequence, decoded.sha256);
    disk.nextSequence += 1;
    return { status: 200, body: { sequence: target.sequence, sha256: decoded.sha256, duplicate: false } };
  }
}

interface CountedBody {
  source: http.IncomingMessage;
  chunks: AsyncIterable<Uint8Array>;
  sha256(): string;
}

function countBytes(source: http.IncomingMessage, onBytes: (n: number) => void): CountedBody {
  const hash = createHash("sha256");
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      const bytes = chunk as Buffer;
      onBytes(bytes.length);
      hash.update(bytes);
      yield bytes;
    }
  }
  return { source, chunks: chunks(), sha256: () => hash.copy().digest("hex") };
}

/** Decodes the whole batch before anything is applied: a bad batch changes nothing. */
async function decodeAll(
  body: CountedBody,
  diskSizeBytes: number,
): Promise<{ extents: Extent[]; flags: BatchFlags; sha256: string } | { problem: string }> {
  const extents: Extent[] = [];
  let flags: BatchFlags | undefined;
  try {
    for await (const event of readBatch(body.chunks, batchLimits(diskSizeBytes))) {
      if (event.type === "header") flags = event.header.flags;
      else if (event.type === "extent") extents.push(event.extent);
      else
        return {
          extents,
          flags: flags ?? { final: false, appConsistent: false, crashConsistent: false },
          sha256: event.summary.sha256,
        };
    }
  } catch (problem) {
    for await (const _ of body.source) {
      /* drain so the agent sees the answer, not a reset */
    }
    return { problem: (problem as { code?: string }).code ?? String(problem) };
  }
  return { problem: "BatchTruncated" };
}

async function drained(source: AsyncIterable<unknown>, reply: Reply): Promise<Reply> {
  for await (const _ of source) {
    /* the agent streams its body first; read it so the answer reaches it */
  }
  return reply;
}

async function readAll(source: http.IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of source) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

function error(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

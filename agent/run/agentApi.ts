/**
 * The three replication calls the agent makes, with retries. A 409 SequenceGap is an answer,
 * not an error: the caller decides whether to renumber or to resend.
 */
import type { z } from "zod";
import {
  agentPaths,
  batchAckSchema,
  cycleResponseSchema,
  heartbeatResponseSchema,
  type BatchAck,
  type CycleRequest,
  type HeartbeatRequest,
  type Instructions,
} from "./protocol";
import { withRetries, type RetryPolicy } from "./retry";
import { jsonBody, sendSigned, type Endpoint, type HttpReply, type RequestBody } from "./signedHttp";
import { writeFileBody } from "./fileBody";
import type { TokenBucket } from "./tokenBucket";
import type { SpooledBatch } from "./batchSpool";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type BatchOutcome = { kind: "acked"; ack: BatchAck } | { kind: "gap"; expectedSequence: number };

export interface ApiOptions {
  endpoint: Endpoint;
  retry: RetryPolicy;
  bucket: TokenBucket;
  onRetry: (what: string, why: string, delayMs: number) => void;
  onWireBytes: (diskId: string, bytes: number) => void;
}

export class AgentApi {
  constructor(private readonly options: ApiOptions) {}

  get machineId(): string {
    return this.options.endpoint.credentials.machineId;
  }

  async heartbeat(body: HeartbeatRequest, signal: AbortSignal, retry = true): Promise<Instructions> {
    const call = () =>
      sendSigned(this.options.endpoint, "POST", agentPaths.heartbeat(this.machineId), jsonBody(body), signal);
    const reply = retry ? await this.retrying("heartbeat", call, signal) : await call();
    return parseOk(reply, heartbeatResponseSchema).instructions;
  }

  async postCycle(itemId: string, body: CycleRequest, signal: AbortSignal): Promise<string> {
    const path = agentPaths.cycles(this.machineId, itemId);
    const reply = await this.retrying(
      "cycle",
      () => sendSigned(this.options.endpoint, "POST", path, jsonBody(body), signal),
      signal,
    );
    return parseOk(reply, cycleResponseSchema).recoveryPointId;
  }

  async putBatch(itemId: string, batch: SpooledBatch, signal: AbortSignal): Promise<BatchOutcome> {
    const { diskId, epoch, sequence } = batch.header;
    const path = agentPaths.batch(this.machineId, itemId, diskId, epoch, sequence);
    const body = this.batchBody(batch, signal);
    const reply = await this.retrying(
      `${diskId} batch ${sequence}`,
      () => sendSigned(this.options.endpoint, "PUT", path, body, signal),
      signal,
    );
    if (reply.status === 409) {
      const expected = expectedSequence(reply.body);
      if (expected !== undefined) return { kind: "gap", expectedSequence: expected };
    }
    return { kind: "acked", ack: parseOk(reply, batchAckSchema) };
  }

  private batchBody(batch: SpooledBatch, signal: AbortSignal): RequestBody {
    const { bucket, onWireBytes } = this.options;
    return {
      sha256Hex: batch.fileSha256,
      length: batch.fileBytes,
      contentType: "application/octet-stream",
      writeTo: (out) =>
        writeFileBody(batch.file, batch.fileBytes, out, async (bytes) => {
          await bucket.take(bytes, signal);
          onWireBytes(batch.header.diskId, bytes);
        }),
    };
  }

  private retrying(what: string, call: () => Promise<HttpReply>, signal: AbortSignal): Promise<HttpReply> {
    return withRetries(call, this.options.retry, signal, (why, delay) => this.options.onRetry(what, why, delay));
  }
}

function parseOk<S extends z.ZodType>(reply: HttpReply, schema: S): z.infer<S> {
  const text = reply.body.toString("utf8");
  if (reply.status < 200 || reply.status > 299) throw errorFrom(reply.status, text);
  const parsed = schema.safeParse(text ? JSON.parse(text) : {});
  if (!parsed.success)
    throw new ApiError(
      reply.status,
      "UnexpectedAnswer",
      `The server's answer has an unexpected shape: ${parsed.error.issues[0]?.message ?? ""}`,
    );
  return parsed.data;
}

function errorFrom(status: number, text: string): ApiError {
  const body = parseJsonObject(text);
  const error = body?.error as { code?: unknown; message?: unknown } | undefined;
  const code = typeof error?.code === "string" ? error.code : `Http${status}`;
  const message = typeof error?.message === "string" ? error.message : text.slice(0, 300);
  return new ApiError(status, code, message);
}

/** SequenceGap's expected sequence, wherever the error body carries it. */
function expectedSequence(bytes: Buffer): number | undefined {
  const body = parseJsonObject(bytes.toString("utf8"));
  const error = (body?.error ?? {}) as Record<string, unknown>;
  if (error.code !== "SequenceGap") return undefined;
  const details = (error.details ?? {}) as Record<string, unknown>;
  const value = error.expectedSequence ?? details.expectedSequence ?? body?.expectedSequence;
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// Plain node:http calls for the devhost suites: full control over content-length, chunking
// and keep-alive, which fetch hides.
import { createHash } from "node:crypto";
import http from "node:http";
import { readFileSync } from "node:fs";

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface SendOptions {
  method?: string;
  headers?: http.OutgoingHttpHeaders;
  /** Sent with content-length; a `Pattern` is sent chunked unless `declareLength` is set. */
  body?: Buffer | Pattern;
  declareLength?: boolean;
  /** A Buffer body sent chunked (no content-length), in 16 KiB pieces. */
  chunked?: boolean;
  /** The connection pool; the default is Node's global agent. */
  agent?: http.Agent;
}

/** A body generated on the fly: `size` bytes from a repeated random block, hashed as it goes. */
export class Pattern {
  readonly #block: Buffer;
  readonly #hash = createHash("sha256");

  constructor(
    readonly size: number,
    blockSize = 1024 * 1024,
  ) {
    this.#block = randomBlock(blockSize);
  }

  *chunks(): Generator<Buffer> {
    for (let sent = 0; sent < this.size; sent += this.#block.length) {
      const chunk = this.#block.subarray(0, Math.min(this.#block.length, this.size - sent));
      this.#hash.update(chunk);
      yield chunk;
    }
  }

  /** The SHA-256 of what `chunks` produced; call once, after sending. */
  sha256(): string {
    return this.#hash.digest("hex");
  }
}

function randomBlock(size: number): Buffer {
  const block = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) block.writeUInt32LE((Math.random() * 2 ** 32) >>> 0, i);
  return block;
}

export function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

export function send(origin: string, path: string, options: SendOptions = {}): Promise<Reply> {
  const headers: http.OutgoingHttpHeaders = { ...options.headers };
  const body = options.body;
  if (body instanceof Buffer && !options.chunked) headers["content-length"] = body.length;
  else if (body instanceof Pattern && options.declareLength) headers["content-length"] = body.size;
  return new Promise<Reply>((resolve, reject) => {
    const req = http.request(new URL(path, origin), {
      method: options.method ?? (body ? "POST" : "GET"),
      headers,
      agent: options.agent,
    });
    let answered = false;
    // Once the host has answered, a failed write of the rest of the body (it closed) is expected.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    req.on("response", (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    if (body instanceof Pattern) writeAll(req, body.chunks(), () => answered).catch(reject);
    else if (body && options.chunked) writeAll(req, pieces(body), () => answered).catch(reject);
    else req.end(body);
  });
}

function* pieces(body: Buffer, size = 16 * 1024): Generator<Buffer> {
  for (let at = 0; at < body.length; at += size) yield body.subarray(at, at + size);
}

/**
 * Writes with backpressure, so the client never holds more than a block or two — until the
 * host has answered: Node's client passes on no 'drain' after the response, so the rest is
 * written without waiting, for the host to discard.
 */
async function writeAll(req: http.ClientRequest, chunks: Iterable<Buffer>, answered: () => boolean): Promise<void> {
  for (const chunk of chunks) {
    if (req.destroyed) return;
    if (!req.write(chunk) && !answered()) await drainedOrAnswered(req);
  }
  req.end();
}

function drainedOrAnswered(req: http.ClientRequest): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      for (const event of ["drain", "close", "response"]) req.off(event, done);
      resolve();
    };
    for (const event of ["drain", "close", "response"]) req.on(event, done);
  });
}

/**
 * Sends only the headers of a request that declares `declaredLength` body bytes and returns
 * the first response: the host must judge the declared length without waiting for a body.
 */
export function sendHeadersOnly(
  origin: string,
  path: string,
  declaredLength: number,
  headers: http.OutgoingHttpHeaders = {},
): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const req = http.request(new URL(path, origin), {
      method: "POST",
      headers: { ...headers, "content-length": declaredLength },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        req.destroy();
      });
    });
    req.flushHeaders();
  });
}

export function json<T>(reply: Reply): T {
  return JSON.parse(reply.body.toString("utf8")) as T;
}

/** The peak resident set of a process, from /proc (Linux). */
export function peakRssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmHWM:"));
  if (!line) throw new Error(`No VmHWM for process ${pid}.`);
  return Number(/(\d+)/.exec(line)?.[1]) * 1024;
}

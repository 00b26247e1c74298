/**
 * A real HTTP hop between a client and its server (agent → host, host → Azurite) that fails
 * requests on cue: on the Nth request matching a method and path it answers in the server's
 * place (a 503), stalls, loses the server's answer after the server acted on the request ("it
 * succeeded but timed out"), delays it, or runs a hook (kill a process) at that precise point.
 * It also partitions the two sides, and counts what went through, by kind.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import {
  decodedPath,
  matchesMethod,
  RuleBook,
  type ArmedRule,
  type FaultAction,
  type FaultRule,
  type SeenRequest,
} from "./faultRules";

export type { ArmedRule, FaultAction, FaultRule, SeenRequest } from "./faultRules";

export type PartitionMode = "refuse" | "blackhole";

export interface ProxyOptions {
  /** Reads (GET, HEAD) whose server dies before answering are sent again once it is back (see pause). */
  retryReads?: boolean;
}

export class FaultProxy {
  readonly seen: SeenRequest[] = [];
  private readonly rules = new RuleBook();
  private readonly sockets = new Set<Socket>();
  private readonly held = new Set<http.ServerResponse>();
  private partitioned: PartitionMode | undefined;
  private paused: Array<() => void> | undefined;
  /**
   * A fresh connection per request: a pooled one the server (or a host killed and started again) has
   * just closed would fail a write the proxy cannot resend, a reset no fault rule asked for.
   */
  private readonly upstreamAgent = new http.Agent({ keepAlive: false, maxSockets: 64 });

  private constructor(
    private readonly server: http.Server,
    private upstream: URL,
    private readonly options: ProxyOptions,
  ) {}

  /** Listens on a free loopback port and forwards to `upstream` (an origin: http://host:port). */
  static async start(upstream: string, options: ProxyOptions = {}): Promise<FaultProxy> {
    const server = http.createServer();
    const proxy = new FaultProxy(server, new URL(upstream), options);
    server.on("request", (request, response) => proxy.handle(request, response));
    server.on("connection", (socket) => {
      if (proxy.partitioned === "refuse") socket.destroy();
      proxy.sockets.add(socket);
      socket.once("close", () => proxy.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Forwards to another server from now on (a restarted host or Azurite). */
  retarget(upstream: string): void {
    this.upstream = new URL(upstream);
    this.upstreamAgent.destroy();
  }

  add(rule: FaultRule): ArmedRule {
    return this.rules.add(rule);
  }

  /**
   * Cuts the two sides apart: "refuse" resets every connection; "blackhole" takes requests and
   * never answers them. Healing resets what the blackhole holds, so the clients retry at once.
   */
  partition(mode: PartitionMode | undefined): void {
    this.partitioned = mode;
    if (mode === "refuse") for (const socket of this.sockets) socket.destroy();
    if (mode === undefined) this.releaseHeld();
  }

  /** Holds new requests (the server is being restarted) until `resume`, which forwards them. */
  pause(): void {
    this.paused ??= [];
  }

  resume(): void {
    const waiting = this.paused ?? [];
    this.paused = undefined;
    for (const go of waiting) go();
  }

  /** Requests seen of this method (any when omitted) and path. */
  count(method: string | RegExp | undefined, path: RegExp): number {
    return this.seen.filter((r) => matchesMethod(method, r.method) && path.test(r.path)).length;
  }

  async close(): Promise<void> {
    this.releaseHeld();
    for (const socket of this.sockets) socket.destroy();
    this.upstreamAgent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private releaseHeld(): void {
    for (const response of this.held) response.socket?.destroy();
    this.held.clear();
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse, known?: SeenRequest): void {
    const seen = known ?? this.record(request);
    if (this.partitioned === "refuse") return void request.socket.destroy();
    if (this.partitioned === "blackhole") return this.hold(response);
    if (this.paused) return void this.paused.push(() => this.handle(request, response, seen));
    const taken = this.rules.take(seen);
    const action = taken?.rule.action ?? { kind: "pass" };
    const fire = () => taken?.fire();
    if (action.kind === "answer") {
      fire();
      request.resume();
      response.writeHead(action.status, { "content-type": "application/json", ...action.headers });
      response.end(action.body ?? "");
      return;
    }
    if (action.kind === "stall") {
      fire();
      request.resume();
      return this.hold(response);
    }
    if (action.kind === "pass") fire();
    this.forward(request, response, seen, action, fire);
  }

  private record(request: http.IncomingMessage): SeenRequest {
    const seen: SeenRequest = {
      method: request.method ?? "GET",
      path: decodedPath(request.url ?? "/"),
      at: Date.now(),
    };
    this.seen.push(seen);
    return seen;
  }

  private hold(response: http.ServerResponse): void {
    this.held.add(response);
    response.once("close", () => this.held.delete(response));
  }

  private forward(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    seen: SeenRequest,
    action: FaultAction,
    fire: () => void,
  ): void {
    const headers = { ...request.headers, host: this.upstream.host };
    delete headers.connection;
    const upstream = http.request(this.upstream, {
      method: request.method,
      path: request.url,
      headers,
      agent: this.upstreamAgent,
    });
    // The client gone (killed, or timed out) before the server answered: the server sees the body cut off.
    response.once("close", () => {
      if (!response.writableFinished) upstream.destroy();
    });
    upstream.once("error", () => {
      if (response.headersSent || !this.options.retryReads || !isRead(request.method)) response.socket?.destroy();
      else setTimeout(() => this.handle(request, response, seen), 100);
    });
    if (action.kind === "cutBody") cutBody(request, upstream, action.bytes, fire);
    else if (request.readableEnded) upstream.end();
    else request.pipe(upstream);
    upstream.once("response", (answer) => {
      seen.status = answer.statusCode;
      if (action.kind === "loseResponse") return loseAnswer(answer, response, fire);
      const deliver = () => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      };
      if (action.kind !== "delayResponse") return deliver();
      fire();
      setTimeout(deliver, action.ms);
    });
  }
}

/** Reads the server's whole answer (it acted on the request), fires, then resets the client's connection. */
function loseAnswer(answer: http.IncomingMessage, response: http.ServerResponse, fire: () => void): void {
  answer.resume();
  answer.once("end", () => {
    fire();
    response.socket?.destroy();
  });
}

/** Sends the body's first `bytes`, then fires and drops both sides, as a sender dying there would. */
function cutBody(request: http.IncomingMessage, upstream: http.ClientRequest, bytes: number, fire: () => void): void {
  let left = bytes;
  request.on("data", (chunk: Buffer) => {
    if (left <= 0) return;
    const part = chunk.subarray(0, left);
    left -= part.length;
    if (left > 0) return void upstream.write(part);
    upstream.write(part, () => {
      fire();
      upstream.destroy();
      request.socket.destroy();
    });
  });
}

const isRead = (method: string | undefined) => method === "GET" || method === "HEAD";

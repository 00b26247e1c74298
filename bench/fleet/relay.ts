/**
 * A plain HTTP hop on loopback that forwards every request to one upstream origin and tells a
 * listener about each exchange once its answer has been sent on: what was asked, the status, and
 * how long the upstream took to answer in full. The fleet bench puts one between the host and
 * each Azurite service (counting storage requests) and one between the agents and the host
 * (timing heartbeats as the agents see them).
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface Exchange {
  method: string;
  /** The request's path and query, as sent. */
  url: string;
  /** The upstream's status; 0 when the upstream or the client failed first. */
  status: number;
  /** performance.now() when the request arrived. */
  startedAt: number;
  /** From arrival until the answer's last byte was passed on. */
  ms: number;
}

export class Relay {
  private readonly sockets = new Set<Socket>();
  private readonly upstreamAgent = new http.Agent({ keepAlive: true });

  private constructor(
    private readonly server: http.Server,
    private readonly upstream: URL,
    private readonly onExchange: (exchange: Exchange) => void,
  ) {}

  /** Listens on a free loopback port and forwards to `upstream` (an origin, http://host:port). */
  static async start(upstream: string, onExchange: (exchange: Exchange) => void): Promise<Relay> {
    const server = http.createServer({ keepAliveTimeout: 30_000 });
    const relay = new Relay(server, new URL(upstream), onExchange);
    server.on("request", (request, response) => relay.forward(request, response));
    server.on("connection", (socket) => {
      relay.sockets.add(socket);
      socket.once("close", () => relay.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return relay;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.upstreamAgent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(request: http.IncomingMessage, response: http.ServerResponse): void {
    const startedAt = performance.now();
    const exchange = { method: request.method ?? "GET", url: request.url ?? "/", startedAt };
    let told = false;
    const tell = (status: number) => {
      if (told) return;
      told = true;
      this.onExchange({ ...exchange, status, ms: performance.now() - startedAt });
    };
    const headers = { ...request.headers, host: this.upstream.host };
    delete headers.connection;
    const upstream = http.request(this.upstream, {
      method: request.method,
      path: request.url,
      headers,
      agent: this.upstreamAgent,
    });
    upstream.once("error", () => {
      tell(0);
      response.socket?.destroy();
    });
    response.once("close", () => {
      if (response.writableFinished) return;
      tell(0);
      upstream.destroy();
    });
    upstream.once("response", (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
      response.once("finish", () => tell(answer.statusCode ?? 0));
    });
    request.pipe(upstream);
  }
}

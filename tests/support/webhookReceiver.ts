// A real HTTP server standing in for an operator's automation: it records every webhook call
// and answers each path with the status the test chose.
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface WebhookCall {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

export class WebhookReceiver {
  readonly calls: WebhookCall[] = [];
  private readonly statuses = new Map<string, number>();
  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = http.createServer();
    const receiver = new WebhookReceiver(server);
    server.on("request", (request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const path = request.url ?? "/";
        receiver.calls.push({
          path,
          headers: request.headers,
          body: Buffer.concat(chunks).toString(),
          receivedAt: Date.now(),
        });
        response.writeHead(receiver.statuses.get(path) ?? 200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  answer(path: string, status: number): void {
    this.statuses.set(path, status);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Whether the call carries the HMAC-SHA256 of its body under the plan's secret, as a receiver checks it. */
export function signatureValid(call: WebhookCall, secret: string): boolean {
  const expected = createHmac("sha256", secret).update(call.body).digest();
  const sent = Buffer.from(String(call.headers["x-ferry-signature"] ?? ""), "hex");
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

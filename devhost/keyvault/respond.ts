import type { ServerResponse } from "node:http";

/** A JSON answer, as Key Vault sends them. */
export function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Key Vault's error shape: `{ error: { code, message } }`. */
export function kvError(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, { error: { code, message } });
}

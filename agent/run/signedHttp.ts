/**
 * One signed request to the Ferry API over node:http(s), with a buffered or streamed body.
 * Every attempt is signed afresh: a retry must carry a new nonce and timestamp.
 */
import http from "node:http";
import https from "node:https";
import type { Writable } from "node:stream";
import { createHash } from "node:crypto";
import { signRequestDigest, type AgentCredentials } from "../signedClient";
import { parseRetryAfter } from "./retry";

export interface Endpoint {
  server: string;
  credentials: AgentCredentials;
  /** The machine fingerprint signed into every request (`agent/machinePrint.ts`). */
  fingerprint?: string;
}

export interface RequestBody {
  sha256Hex: string;
  length: number;
  contentType: string;
  /** Writes the body and ends `out`; called once per attempt. */
  writeTo(out: Writable): Promise<void>;
}

export interface HttpReply {
  status: number;
  retryAfterMs?: number;
  body: Buffer;
}

const REPLY_LIMIT_BYTES = 1024 * 1024;
const IDLE_TIMEOUT_MS = 120_000;

export function jsonBody(value: unknown): RequestBody {
  const bytes = Buffer.from(JSON.stringify(value));
  return {
    sha256Hex: createHash("sha256").update(bytes).digest("hex"),
    length: bytes.length,
    contentType: "application/json",
    writeTo: async (out) => {
      out.end(bytes);
    },
  };
}

export function endpointUrl(endpoint: Endpoint, path: string): URL {
  return new URL(path.replace(/^\//, ""), endpoint.server.endsWith("/") ? endpoint.server : `${endpoint.server}/`);
}

export function sendSigned(
  endpoint: Endpoint,
  method: string,
  path: string,
  body: RequestBody,
  signal: AbortSignal,
): Promise<HttpReply> {
  const url = endpointUrl(endpoint, path);
  const headers = {
    ...signRequestDigest(endpoint.credentials, method, url, body.sha256Hex, { fingerprint: endpoint.fingerprint }),
    "content-type": body.contentType,
    "content-length": String(body.length),
  };
  return new Promise<HttpReply>((resolve, reject) => {
    const request = (url.protocol === "https:" ? https : http).request(url, {
      method,
      headers,
      signal,
      timeout: IDLE_TIMEOUT_MS,
    });
    request.on("timeout", () =>
      request.destroy(new Error(`No answer from ${url.host} for ${IDLE_TIMEOUT_MS / 1000} s.`)),
    );
    request.on("error", reject);
    request.on("response", (response) => {
      readReply(response).then(
        (bytes) =>
          resolve({
            status: response.statusCode ?? 0,
            body: bytes,
            retryAfterMs: parseRetryAfter(headerText(response.headers["retry-after"])),
          }),
        reject,
      );
    });
    // A server may answer (an error) before reading the whole body; the answer wins then.
    body.writeTo(request).catch((error: unknown) => {
      request.destroy(error instanceof Error ? error : new Error(String(error)));
      reject(error);
    });
  });
}

async function readReply(response: http.IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of response) {
    const part = chunk as Buffer;
    total += part.length;
    if (total > REPLY_LIMIT_BYTES) throw new Error("The server's answer is unexpectedly large.");
    parts.push(part);
  }
  return Buffer.concat(parts);
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

import { createHash, randomBytes } from "node:crypto";
import { sign, signatureHeaders } from "../shared/security/agentSignature";
import { ServerUnreachableError } from "./unreachable";

export interface AgentCredentials {
  machineId: string;
  /** The secret part of the agent key (`ak_<machine>.<secret>`). */
  secret: string;
}

export class ServerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export function splitAgentKey(agentKey: string): AgentCredentials {
  const m = /^ak_([a-z0-9_]+)\.([A-Za-z0-9_-]+)$/.exec(agentKey);
  if (!m) throw new Error("The agent key has an unexpected shape.");
  return { machineId: m[1], secret: m[2] };
}

/** Headers that sign one request with the agent's key (docs/security.md). */
export function signRequest(
  credentials: AgentCredentials,
  method: string,
  url: URL,
  body: Buffer,
): Record<string, string> {
  return signRequestDigest(credentials, method, url, createHash("sha256").update(body).digest("hex"));
}

/**
 * Like signRequest, for a body whose SHA-256 (hex) was computed beforehand; `at` fixes the time
 * and nonce, and carries the machine fingerprint to send and sign (`shared/api/machinePrint.ts`).
 */
export function signRequestDigest(
  credentials: AgentCredentials,
  method: string,
  url: URL,
  contentSha256: string,
  at: { timestamp?: string; nonce?: string; fingerprint?: string } = {},
): Record<string, string> {
  const parts = {
    method,
    pathAndQuery: url.pathname + url.search,
    contentSha256,
    timestamp: at.timestamp ?? String(Date.now()),
    nonce: at.nonce ?? randomBytes(18).toString("base64url"),
    ...(at.fingerprint === undefined ? {} : { fingerprint: at.fingerprint }),
  };
  return {
    [signatureHeaders.machine]: credentials.machineId,
    [signatureHeaders.timestamp]: parts.timestamp,
    [signatureHeaders.nonce]: parts.nonce,
    [signatureHeaders.contentSha256]: parts.contentSha256,
    ...(at.fingerprint === undefined ? {} : { [signatureHeaders.fingerprint]: at.fingerprint }),
    [signatureHeaders.signature]: sign(parts, credentials.secret),
  };
}

async function errorFrom(response: Response): Promise<ServerError> {
  const text = await response.text();
  let code = `Http${response.status}`;
  let message = text || response.statusText;
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    code = body.error?.code ?? code;
    message = body.error?.message ?? message;
  } catch {
    /* not JSON: keep the text */
  }
  const retryAfter = Number(response.headers.get("retry-after"));
  return new ServerError(response.status, code, message, Number.isFinite(retryAfter) ? retryAfter : undefined);
}

/** How long a JSON call may wait for its answer: registration is one quick row write on the server. */
const CALL_TIMEOUT_MS = 30_000;

/**
 * A JSON request to the Ferry API, signed when credentials are given (with the machine fingerprint, if
 * given); no answer is a ServerUnreachableError.
 */
export async function callJson<T>(
  server: string,
  method: string,
  path: string,
  body: unknown,
  credentials?: AgentCredentials,
  fingerprint?: string,
): Promise<T> {
  const url = new URL(path.replace(/^\//, ""), server.endsWith("/") ? server : `${server}/`);
  const payload = Buffer.from(body === undefined ? "" : JSON.stringify(body));
  const headers: Record<string, string> = { "content-type": "application/json" };
  const digest = createHash("sha256").update(payload).digest("hex");
  if (credentials) Object.assign(headers, signRequestDigest(credentials, method, url, digest, { fingerprint }));
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: method === "GET" ? undefined : payload,
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
  } catch (error) {
    throw new ServerUnreachableError(url, error, CALL_TIMEOUT_MS);
  }
  if (!response.ok) throw await errorFrom(response);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

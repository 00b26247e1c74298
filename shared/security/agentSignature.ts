import { createHmac } from "node:crypto";
import { sameSecret } from "./tokens";

/**
 * Agent requests are signed with the agent's own key: HMAC-SHA256 over the method, the
 * path with query, the body's SHA-256, the timestamp and a nonce (docs/security.md) — and the
 * machine fingerprint when the agent sends one.
 */
export const signatureHeaders = {
  machine: "x-ferry-machine",
  timestamp: "x-ferry-timestamp",
  nonce: "x-ferry-nonce",
  contentSha256: "x-ferry-content-sha256",
  signature: "x-ferry-signature",
  fingerprint: "x-ferry-fingerprint",
} as const;

export const signatureWindowMs = 5 * 60 * 1000;

export interface SignedParts {
  method: string;
  pathAndQuery: string;
  contentSha256: string;
  timestamp: string;
  nonce: string;
  /** The machine fingerprint header, signed as a sixth line when sent (agents before it sent none). */
  fingerprint?: string;
}

export function canonicalString(p: SignedParts): string {
  const lines = [p.method.toUpperCase(), p.pathAndQuery, p.contentSha256.toLowerCase(), p.timestamp, p.nonce];
  return (p.fingerprint === undefined ? lines : [...lines, p.fingerprint]).join("\n");
}

export function sign(parts: SignedParts, key: string): string {
  return createHmac("sha256", key).update(canonicalString(parts)).digest("base64url");
}

export type SignatureProblem = "Missing" | "Malformed" | "Expired" | "BadSignature";

/** Checks the signature and the time window; nonce replay is checked by the caller against storage. */
export function verify(
  parts: SignedParts,
  signature: string,
  key: string,
  nowMs: number,
): SignatureProblem | undefined {
  if (
    !/^\d{13}$/.test(parts.timestamp) ||
    !/^[A-Za-z0-9_-]{16,64}$/.test(parts.nonce) ||
    !/^[0-9a-f]{64}$/i.test(parts.contentSha256) ||
    (parts.fingerprint !== undefined && !/^[A-Za-z0-9_-]{1,600}$/.test(parts.fingerprint))
  ) {
    return "Malformed";
  }
  if (Math.abs(nowMs - Number(parts.timestamp)) > signatureWindowMs) return "Expired";
  return sameSecret(sign(parts, key), signature) ? undefined : "BadSignature";
}

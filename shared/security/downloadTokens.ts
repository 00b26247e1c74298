import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import { sameSecret } from "./tokens";

/**
 * Download links carry a token, never the operator key: what it opens (one disk of one VM of one
 * project), until when, and an HMAC-SHA256 over that with a key derived from the project's data
 * key, so a link is unguessable, cannot be widened, and needs no state of its own.
 */
export interface DownloadClaim {
  projectId: string;
  vmId: string;
  diskId: string;
  expiresAt: Date;
}

/** The project's link-signing key: its data key through HKDF, under a label no other use shares. */
export function downloadSigningKey(dataKey: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", dataKey, Buffer.alloc(0), "ferry disk download links", 32));
}

const mac = (key: Buffer, payload: string) => createHmac("sha256", key).update(payload).digest("base64url");

export function signDownloadToken(key: Buffer, claim: DownloadClaim, nonce: Buffer = randomBytes(9)): string {
  const body = {
    p: claim.projectId,
    v: claim.vmId,
    d: claim.diskId,
    e: Math.floor(claim.expiresAt.getTime() / 1000),
    n: nonce.toString("base64url"),
  };
  const payload = Buffer.from(JSON.stringify(body)).toString("base64url");
  return `${payload}.${mac(key, payload)}`;
}

export interface UnverifiedToken {
  claim: DownloadClaim;
  /** True when the token was signed with `key` (the key of the project the claim names). */
  signedWith(key: Buffer): boolean;
}

const text = (value: unknown): value is string => typeof value === "string" && value.length > 0 && value.length <= 64;

/** The claim a token makes, not yet trusted; undefined when it is not a token at all. */
export function readDownloadToken(token: string): UnverifiedToken | undefined {
  const match = /^([A-Za-z0-9_-]{1,512})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  const [, payload, signature] = match as unknown as [string, string, string];
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const body = parsed as Record<string, unknown>;
  if (!text(body.p) || !text(body.v) || !text(body.d) || typeof body.e !== "number") return undefined;
  return {
    claim: { projectId: body.p, vmId: body.v, diskId: body.d, expiresAt: new Date(body.e * 1000) },
    signedWith: (key) => sameSecret(mac(key, payload), signature),
  };
}

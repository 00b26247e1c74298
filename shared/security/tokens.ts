import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Credentials handed out once (registration keys, passphrases, agent keys) have the form
 * `<prefix>_<id>.<secret>`: the id finds the record without a scan, the secret proves it.
 */
export interface Credential {
  id: string;
  secret: string;
  text: string;
}

const shape = /^([a-z]{2,8})_([a-z0-9_]{8,60})\.([A-Za-z0-9_-]{32,100})$/;

export function newCredential(prefix: string, id: string, random: (n: number) => Buffer = randomBytes): Credential {
  const secret = random(32).toString("base64url");
  return { id, secret, text: `${prefix}_${id}.${secret}` };
}

/** Splits a presented credential; undefined when it is not of the expected kind and shape. */
export function parseCredential(text: unknown, prefix: string): { id: string; secret: string } | undefined {
  if (typeof text !== "string") return undefined;
  const m = shape.exec(text.trim());
  if (!m || m[1] !== prefix) return undefined;
  return { id: m[2], secret: m[3] };
}

export function sha256Hex(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Constant-time comparison of two strings. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Credentials handed out once (registration keys, passphrases, agent keys, operator keys) have the
 * form `<prefix>_<id>.<secret>`: the id finds the record without a scan, the secret proves it. An id
 * of the credential's own kind already starts with the prefix (`rk_…`, `ok_…`), so it is written once.
 */
export interface Credential {
  id: string;
  secret: string;
  text: string;
}

const shape = /^([a-z]{2,8})_([a-z0-9_]{8,60})\.([A-Za-z0-9_-]{32,100})$/;

export function newCredential(prefix: string, id: string, random: (n: number) => Buffer = randomBytes): Credential {
  const secret = random(32).toString("base64url");
  const named = id.startsWith(`${prefix}_`) ? id : `${prefix}_${id}`;
  return { id, secret, text: `${named}.${secret}` };
}

/** Splits a presented credential; undefined when it is not of the expected kind and shape. */
export function parseCredential(text: unknown, prefix: string): { id: string; secret: string } | undefined {
  if (typeof text !== "string") return undefined;
  const m = shape.exec(text.trim());
  if (!m || m[1] !== prefix) return undefined;
  // Ids of other kinds carry their own prefix (ak_mch_…); a bare body is an id of this kind (rk_01…).
  // A key handed out doubled before (rk_rk_01…) reads the same way.
  const id = m[2].includes("_") ? m[2] : `${prefix}_${m[2]}`;
  return { id, secret: m[3] };
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

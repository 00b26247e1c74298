import { errors } from "./errors";
import { fail, ok, type Result } from "./result";

/**
 * Ferry ids: `<prefix>_<26 chars>`, the 26 chars a ULID in lowercase Crockford base32
 * (10 chars of milliseconds, then 16 chars = 80 random bits). Ids sort by creation time, which
 * Table storage row keys and job lists want, and their alphabet [0-9a-z] minus i, l, o, u can never
 * hold '/', '#', '?', '\', quotes, spaces or any OData syntax, so an id is safe in a key or a filter.
 */
export const idPrefixes = {
  project: "prj",
  appliance: "apl",
  machine: "mch",
  policy: "pol",
  item: "itm",
  job: "job",
  recoveryPoint: "rp",
  virtualMachine: "vm",
  registrationKey: "rk",
  operatorKey: "ok",
  recoveryPlan: "rpl",
} as const;
export type IdKind = keyof typeof idPrefixes;

const alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
const bodyPattern = "[0-7][0-9abcdefghjkmnpqrstvwxyz]{25}";

export const idPatterns: Readonly<Record<IdKind, RegExp>> = Object.fromEntries(
  Object.entries(idPrefixes).map(([kind, prefix]) => [kind, new RegExp(`^${prefix}_${bodyPattern}$`)]),
) as Record<IdKind, RegExp>;

/** The length of every id of a kind, for schema bounds. */
export function idLength(kind: IdKind): number {
  return idPrefixes[kind].length + 1 + 26;
}

export type RandomBytes = (size: number) => Uint8Array;

function encodeTime(milliseconds: number): string {
  let rest = Math.floor(milliseconds);
  let text = "";
  for (let i = 0; i < 10; i += 1) {
    text = alphabet[rest % 32] + text;
    rest = Math.floor(rest / 32);
  }
  return text;
}

function encodeRandom(bytes: Uint8Array): string {
  let text = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text += alphabet[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  return text;
}

/** A new id; time and randomness come from the caller so domain code stays pure and testable. */
export function newId(kind: IdKind, now: Date, randomBytes: RandomBytes): string {
  const random = randomBytes(10);
  if (random.length !== 10) throw new RangeError("randomBytes(10) must return 10 bytes");
  return `${idPrefixes[kind]}_${encodeTime(now.getTime())}${encodeRandom(random)}`;
}

export function isId(kind: IdKind, value: unknown): value is string {
  return typeof value === "string" && idPatterns[kind].test(value);
}

/** Checks an id from a URL or body; any other value answers 404 as if the resource did not exist. */
export function parseId(kind: IdKind, value: string, label = kind): Result<string> {
  return idPatterns[kind].test(value)
    ? ok(value)
    : fail(errors.notFound(label, value.length > 64 ? `${value.slice(0, 64)}…` : value));
}

/**
 * Disk ids come from the agent (e.g. "disk0", "nvme0n1"): short, and limited to characters that
 * are safe in a blob name, a row key and a URL segment.
 */
export const diskIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function isDiskId(value: unknown): value is string {
  return typeof value === "string" && diskIdPattern.test(value) && !value.includes("..");
}

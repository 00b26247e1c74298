import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { AuthLevel } from "./routeTable";

/** The host's keys: the master (admin) key and the default function key. */
export interface HostKeys {
  master: string;
  function: string;
}

export function hostKeysFrom(env: NodeJS.ProcessEnv): HostKeys {
  return {
    master: env.FUNCTIONS_MASTER_KEY || randomBytes(32).toString("base64url"),
    function: env.FUNCTIONS_DEFAULT_KEY || randomBytes(32).toString("base64url"),
  };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The key a caller presented: `x-functions-key` header or `code` query parameter. */
export function presentedKey(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const header = req.headers["x-functions-key"];
  return (typeof header === "string" ? header : undefined) ?? query.get("code") ?? undefined;
}

export function authorized(level: AuthLevel, key: string | undefined, keys: HostKeys): boolean {
  if (level === "anonymous") return true;
  if (key === undefined) return false;
  if (same(key, keys.master)) return true;
  return level === "function" && same(key, keys.function);
}

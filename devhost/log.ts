import type { RpcLogCategory, RpcLogLevel } from "./core/contract";

const rank: Record<RpcLogLevel, number> = {
  trace: 0,
  debug: 1,
  information: 2,
  warning: 3,
  error: 4,
  critical: 5,
  none: 6,
};

let threshold: RpcLogLevel = "information";

/** Sets the lowest level printed (from host.json `logging.logLevel.default`). */
export function setLogThreshold(level: RpcLogLevel): void {
  threshold = level;
}

export function isLogLevel(value: unknown): value is RpcLogLevel {
  return typeof value === "string" && value in rank;
}

/** Writes one line to the console stream that matches the level. */
export function log(level: RpcLogLevel, category: RpcLogCategory | string, message: string): void {
  if (rank[level] < rank[threshold] || level === "none") return;
  const line = `[${new Date().toISOString()}] ${level.toUpperCase()} ${category}: ${message}`;
  if (rank[level] >= rank.error) console.error(line);
  else if (level === "warning") console.warn(line);
  else console.log(line);
}

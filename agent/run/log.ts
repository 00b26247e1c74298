/** One line per event, timestamped; the agent key is never passed here. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function consoleLogger(): Logger {
  const line = (level: string, message: string) => `${new Date().toISOString()} ${level} ${message}`;
  return {
    info: (message) => console.log(line("info", message)),
    warn: (message) => console.log(line("warn", message)),
    error: (message) => console.error(line("error", message)),
  };
}

const MiB = 1024 * 1024;

export function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

/** A size in the unit that reads best: KiB, MiB or GiB. */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * MiB) return `${(bytes / (1024 * MiB)).toFixed(1)} GiB`;
  return bytes >= MiB ? mib(bytes) : `${Math.round(bytes / 1024)} KiB`;
}

/** MB/s (10^6 bytes a second), as storage figures are quoted. */
export function speed(bytes: number, seconds: number): string {
  return `${(bytes / 1e6 / Math.max(seconds, 1e-3)).toFixed(1)} MB/s`;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

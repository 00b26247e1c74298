/** `2025-12-01 22:54:01` (UTC), or empty. */
export function time(iso: string | undefined): string {
  return iso ? iso.replace("T", " ").replace(/\.\d+Z$|Z$/, "") : "";
}

export function bytes(value: number | undefined): string {
  if (value === undefined) return "";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let amount = value;
  let unit = 0;
  while (amount >= 1024 && unit < units.length - 1) {
    amount /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? amount : amount.toFixed(1)} ${units[unit]}`;
}

export function speed(bytesPerSecond: number | undefined): string {
  return bytesPerSecond === undefined ? "" : `${bytes(Math.round(bytesPerSecond))}/s`;
}

/** 42 s, 5 min, 2 h 10 min. */
export function duration(seconds: number | undefined): string {
  if (seconds === undefined) return "";
  if (seconds < 120) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export const list = (values: readonly string[] | undefined): string => (values ?? []).join(", ");

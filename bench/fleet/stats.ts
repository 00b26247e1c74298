/** The few figures the fleet bench derives from raw samples. */

/** Nearest-rank percentile (0 < p ≤ 1) of the values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length))) - 1] as number;
}

/** A count over a window, per machine, scaled to an hour. */
export const perMachinePerHour = (count: number, machines: number, windowSeconds: number): number =>
  (count / machines) * (3600 / windowSeconds);

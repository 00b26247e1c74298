/**
 * How fast the source changes against what replication can keep up with. Site Recovery
 * supports up to 20 MB/s of churn per disk and 54 MB/s per machine; the worse of the two
 * ratios is what health reports.
 */
export const churnLimits = { perDiskBytesPerSecond: 20_000_000, perMachineBytesPerSecond: 54_000_000 } as const;

export interface ChurnFigure {
  readonly churnBytesPerSecond: number;
  readonly churnLimitBytesPerSecond: number;
}

/** The disk or machine figure closest to (or furthest past) its limit; undefined before any churn was measured. */
export function worstChurn(perDiskBytesPerSecond: readonly number[]): ChurnFigure | undefined {
  if (perDiskBytesPerSecond.length === 0) return undefined;
  const disk = Math.max(...perDiskBytesPerSecond);
  const machine = perDiskBytesPerSecond.reduce((sum, rate) => sum + rate, 0);
  const diskRatio = disk / churnLimits.perDiskBytesPerSecond;
  const machineRatio = machine / churnLimits.perMachineBytesPerSecond;
  return diskRatio >= machineRatio
    ? { churnBytesPerSecond: disk, churnLimitBytesPerSecond: churnLimits.perDiskBytesPerSecond }
    : { churnBytesPerSecond: machine, churnLimitBytesPerSecond: churnLimits.perMachineBytesPerSecond };
}

/** Bytes changed between two points over the source time between them; undefined when the interval is empty. */
export function churnRate(changedBytes: number, fromTime: Date, toTime: Date): number | undefined {
  const seconds = (toTime.getTime() - fromTime.getTime()) / 1000;
  return seconds > 0 && changedBytes >= 0 ? Math.round(changedBytes / seconds) : undefined;
}

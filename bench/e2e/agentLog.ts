/** What the bench reads from `agent run`'s log: one entry per finished cycle. */
export interface CycleLine {
  /** When the cycle's recovery point existed (the line is written once POST cycles answered). */
  endedAt: number;
  seconds: number;
  type: string;
  batches: number;
  dataMiB: number;
  wireMiB: number;
  recoveryPointId: string;
}

const cyclePattern =
  /^(\S+) info cycle \S+ (\w+) \(.*\): (\d+) batches, ([\d.]+) MiB data, ([\d.]+) MiB on the wire in ([\d.]+) s .*-> (\S+)$/;

export function parseCycleLine(line: string): CycleLine | undefined {
  const m = cyclePattern.exec(line);
  if (!m) return undefined;
  return {
    endedAt: Date.parse(m[1] as string),
    type: m[2] as string,
    batches: Number(m[3]),
    dataMiB: Number(m[4]),
    wireMiB: Number(m[5]),
    seconds: Number(m[6]),
    recoveryPointId: m[7] as string,
  };
}

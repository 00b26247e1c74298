/** Replication lag of each write: from the write until a recovery point whose source time is after it exists. */
import type { WriteTick } from "./churnWriter";

export interface PointSeen {
  /** Epoch ms of the point's source time (the instant it shows). */
  sourceAt: number;
  /** Epoch ms when the point existed. */
  existsAt: number;
}

/** Write-weighted lag percentile in seconds; writes no point covers count as lagging until `now`. */
export function lagPercentile(ticks: WriteTick[], points: PointSeen[], percentile: number, now: number): number {
  const sorted = [...points].sort((a, b) => a.sourceAt - b.sourceAt);
  const lags: { lag: number; writes: number }[] = ticks.map((tick) => {
    const cover = sorted.find((point) => point.sourceAt >= tick.at);
    return { lag: ((cover ? cover.existsAt : now) - tick.at) / 1000, writes: tick.writes };
  });
  lags.sort((a, b) => a.lag - b.lag);
  const total = lags.reduce((sum, l) => sum + l.writes, 0);
  let seen = 0;
  for (const l of lags) {
    seen += l.writes;
    if (seen >= total * percentile) return l.lag;
  }
  return lags.at(-1)?.lag ?? 0;
}

/**
 * What a heartbeat's answer waited on: the storage requests the host made for it (those naming its
 * machine or its item, seen by the counting relays while the heartbeat was open), against the rest
 * of its time, when none of its storage calls was out (the host's own queueing and work).
 */
import type { Heartbeat } from "./heartbeatLog";
import { percentile } from "./stats";
import { resourceOf, type StorageExchange } from "./storageCounter";

export interface WaitSummary {
  heartbeats: number;
  /** Medians over the heartbeats. */
  ms: number;
  calls: number;
  /** Wall-clock time at least one of its storage calls was out. */
  storageMs: number;
  beforeFirstCallMs: number;
  afterLastCallMs: number;
  /** Each resource's mean time per call, slowest first. */
  perCall: [string, number][];
}

interface Attributed {
  beat: Heartbeat;
  calls: StorageExchange[];
}

function covered(calls: readonly StorageExchange[]): number {
  const spans = calls.map((c) => [c.startedAt, c.startedAt + c.ms] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let reach = -Infinity;
  for (const [from, to] of spans) {
    if (to <= reach) continue;
    total += to - Math.max(from, reach);
    reach = to;
  }
  return total;
}

function summarize(list: readonly Attributed[]): WaitSummary {
  const median = (values: number[]) => percentile(values, 0.5);
  const perResource = new Map<string, { ms: number; count: number }>();
  for (const call of list.flatMap((a) => a.calls)) {
    const resource = resourceOf(call.service, call.url);
    const sum = perResource.get(resource) ?? { ms: 0, count: 0 };
    perResource.set(resource, { ms: sum.ms + call.ms, count: sum.count + 1 });
  }
  const withCalls = list.filter((a) => a.calls.length > 0);
  return {
    heartbeats: list.length,
    ms: median(list.map((a) => a.beat.ms)),
    calls: median(list.map((a) => a.calls.length)),
    storageMs: median(list.map((a) => covered(a.calls))),
    beforeFirstCallMs: median(withCalls.map((a) => Math.min(...a.calls.map((c) => c.startedAt)) - a.beat.at)),
    afterLastCallMs: median(
      withCalls.map((a) => a.beat.at + a.beat.ms - Math.max(...a.calls.map((c) => c.startedAt + c.ms))),
    ),
    perCall: [...perResource]
      .map(([resource, sum]): [string, number] => [resource, sum.ms / sum.count])
      .sort((a, b) => b[1] - a[1]),
  };
}

/** Index of the first exchange starting at or after `at` (exchanges sorted by start). */
function firstFrom(sorted: readonly StorageExchange[], at: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] as StorageExchange).startedAt < at) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Heartbeats over `thresholdMs` and those under it, each with what it waited on. `keys` gives each
 * machine id the strings its storage requests carry (the machine id, its item id).
 */
export function heartbeatWaits(
  beats: readonly Heartbeat[],
  exchanges: readonly StorageExchange[],
  keys: ReadonlyMap<string, readonly string[]>,
  thresholdMs = 1000,
): { slow: WaitSummary; fast: WaitSummary } {
  const sorted = [...exchanges].sort((a, b) => a.startedAt - b.startedAt);
  const attributed = beats.flatMap((beat): Attributed[] => {
    const names = keys.get(beat.machineId);
    if (!names) return [];
    const calls: StorageExchange[] = [];
    const end = beat.at + beat.ms;
    for (let i = firstFrom(sorted, beat.at); i < sorted.length && (sorted[i] as StorageExchange).startedAt < end; i++) {
      const call = sorted[i] as StorageExchange;
      if (call.startedAt + call.ms <= end && names.some((name) => call.url.includes(name))) calls.push(call);
    }
    return [{ beat, calls }];
  });
  return {
    slow: summarize(attributed.filter((a) => a.beat.ms >= thresholdMs)),
    fast: summarize(attributed.filter((a) => a.beat.ms < thresholdMs)),
  };
}

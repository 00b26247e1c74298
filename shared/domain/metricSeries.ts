import type { HealthErrorCode, HealthState } from "./health";

/**
 * A replicating server's figures over time: one sample per sampling period, taken from what the
 * grid shows at that moment, kept as long as the policy keeps recovery points.
 */
export interface MetricSample {
  readonly time: string;
  /** Seconds between the sample and the newest replicated source state; absent before there is one. */
  readonly rpoSeconds?: number;
  /** Seconds the newest processed (applied) point trails the newest recovery point. */
  readonly lagSeconds?: number;
  readonly uploadBytesPerSecond: number;
  readonly backlogBytes: number;
  readonly health: HealthState;
  readonly healthErrors: HealthErrorCode[];
}

/** The grid's figures a sample is made of (a subset of the replicating-server view). */
export interface SampledFigures {
  readonly rpoSeconds?: number;
  readonly lastRecoveryPointTime?: string;
  readonly lastProcessedPointTime?: string;
  readonly agentFigures?: { readonly bytesPerSecond: number; readonly backlogBytes: number };
  readonly health: HealthState;
  readonly healthErrors: readonly { readonly code: HealthErrorCode }[];
}

export interface HealthChange {
  readonly time: string;
  readonly health: HealthState;
  readonly healthErrors: HealthErrorCode[];
}

export function lagSecondsOf(lastPointTime?: string, lastProcessedTime?: string): number | undefined {
  if (lastPointTime === undefined || lastProcessedTime === undefined) return undefined;
  return Math.max(0, Math.floor((Date.parse(lastPointTime) - Date.parse(lastProcessedTime)) / 1000));
}

export function sampleOf(figures: SampledFigures, now: Date): MetricSample {
  const lagSeconds = lagSecondsOf(figures.lastRecoveryPointTime, figures.lastProcessedPointTime);
  return {
    time: now.toISOString(),
    ...(figures.rpoSeconds === undefined ? {} : { rpoSeconds: figures.rpoSeconds }),
    ...(lagSeconds === undefined ? {} : { lagSeconds }),
    uploadBytesPerSecond: figures.agentFigures?.bytesPerSecond ?? 0,
    backlogBytes: figures.agentFigures?.backlogBytes ?? 0,
    health: figures.health,
    healthErrors: figures.healthErrors.map((error) => error.code).sort(),
  };
}

const sameHealth = (a: MetricSample, b: MetricSample) =>
  a.health === b.health && a.healthErrors.join() === b.healthErrors.join();

/**
 * The health history of a run of samples in time order: the first sample's health, then each
 * sample whose health or set of health errors differs from the one before it.
 */
export function healthChanges(samples: readonly MetricSample[]): HealthChange[] {
  return samples
    .filter((sample, i) => i === 0 || !sameHealth(samples[i - 1] as MetricSample, sample))
    .map(({ time, health, healthErrors }) => ({ time, health, healthErrors }));
}

/** Samples older than this are pruned: the policy's recovery-point retention, at least one sampling period. */
export function sampleCutoff(now: Date, retentionHours: number, sampleSeconds: number): Date {
  return new Date(now.getTime() - Math.max(retentionHours * 3_600_000, sampleSeconds * 1000));
}

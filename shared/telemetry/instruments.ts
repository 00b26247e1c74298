/**
 * Ferry's tracer and metric instruments, made through `@opentelemetry/api` only: with no SDK
 * started they are the API's no-ops, so recording costs next to nothing when telemetry is off.
 */
import { metrics, trace, ValueType, type Counter, type Histogram, type Tracer } from "@opentelemetry/api";
import { metricNames, scopeName, type MetricName } from "./names";

/** Seconds: a batch's few milliseconds up to a migration's hours. */
const secondBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800, 3600, 14400];
/** Bytes: 64 KiB up to 64 GiB, by fours. */
const byteBuckets = Array.from({ length: 11 }, (_, i) => 65536 * 4 ** i);

export interface Instruments {
  tracer: Tracer;
  batches: Counter;
  batchBytes: Counter;
  diskBytes: Counter;
  ingestDuration: Histogram;
  applyLag: Histogram;
  applyBacklog: Histogram;
  pointsCut: Counter;
  jobDuration: Histogram;
  healthErrorsRaised: Counter;
}

function create(): Instruments {
  const meter = metrics.getMeter(scopeName);
  // Counts and bytes are whole: exported as integers.
  const counter = ({ name, unit, description }: MetricName) =>
    meter.createCounter(name, { unit, description, valueType: ValueType.INT });
  const histogram = ({ name, unit, description }: MetricName, buckets: number[]) =>
    meter.createHistogram(name, { unit, description, advice: { explicitBucketBoundaries: buckets } });
  return {
    tracer: trace.getTracer(scopeName),
    batches: counter(metricNames.batches),
    batchBytes: counter(metricNames.batchBytes),
    diskBytes: counter(metricNames.diskBytes),
    ingestDuration: histogram(metricNames.ingestDuration, secondBuckets),
    applyLag: histogram(metricNames.applyLag, secondBuckets),
    applyBacklog: histogram(metricNames.applyBacklog, byteBuckets),
    pointsCut: counter(metricNames.pointsCut),
    jobDuration: histogram(metricNames.jobDuration, secondBuckets),
    healthErrorsRaised: counter(metricNames.healthErrorsRaised),
  };
}

let current: Instruments | undefined;

/** The instruments, made on first use from whichever meter provider is registered by then. */
export function instruments(): Instruments {
  current ??= create();
  return current;
}

/** Called once an SDK is registered: instruments made before it were no-ops and stay so. */
export function renewInstruments(): void {
  current = undefined;
}

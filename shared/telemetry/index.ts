/**
 * Ferry's telemetry, the one entry to it: use cases wrap their work in spans (`inSpan`) and say
 * what they measured (`measure*`); the app starts the SDK its settings name once (`startTelemetry`).
 * Nothing here but `startTelemetry` touches an SDK: the rest is `@opentelemetry/api`.
 */
export { inSpan, errorCodeOf } from "./spans";
export {
  measureApply,
  measureBatch,
  measureHealthRaised,
  measureJob,
  measurePoint,
  type BatchKind,
  type BatchOutcome,
} from "./measures";
export { attributeNames, metricNames, spanNames } from "./names";
export { startTelemetry, type TelemetryRuntime } from "./startTelemetry";

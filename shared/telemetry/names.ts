/**
 * The names of Ferry's spans, metrics and attributes, all in one place: dashboards and alerts
 * are written against these strings (docs/telemetry.md lists each with its unit).
 */

/** The instrumentation scope every Ferry tracer and meter carries. */
export const scopeName = "ferry";

export const spanNames = {
  ingestBatch: "ferry.ingest.batch",
  applyPass: "ferry.apply.pass",
  cycle: "ferry.points.cycle",
  latestPoint: "ferry.points.latest",
  jobTask: "ferry.job.task",
  healthSample: "ferry.health.sample",
} as const;

export interface MetricName {
  name: string;
  unit: string;
  description: string;
}

export const metricNames = {
  batches: {
    name: "ferry.ingest.batches",
    unit: "{batch}",
    description: "Change batches the agents sent, by kind and outcome (refused ones with their error code).",
  },
  batchBytes: {
    name: "ferry.ingest.bytes",
    unit: "By",
    description: "Bytes of accepted batch bodies, as received on the wire.",
  },
  diskBytes: {
    name: "ferry.ingest.disk_bytes",
    unit: "By",
    description: "Disk bytes the accepted batches cover (data and zero runs).",
  },
  ingestDuration: {
    name: "ferry.ingest.duration",
    unit: "s",
    description: "Time from a batch's arrival to its answer, by kind and outcome.",
  },
  applyLag: {
    name: "ferry.apply.lag",
    unit: "s",
    description: "How long the oldest batch of an apply pass waited on the replica after its acknowledgment.",
  },
  applyBacklog: {
    name: "ferry.apply.backlog",
    unit: "By",
    description: "Disk bytes acknowledged but not yet on the replica, left after an apply pass.",
  },
  pointsCut: {
    name: "ferry.points.cut",
    unit: "{point}",
    description: "Recovery points recorded, by type and origin.",
  },
  jobDuration: {
    name: "ferry.job.duration",
    unit: "s",
    description: "Time from a job's creation to its end, by operation and outcome.",
  },
  healthErrorsRaised: {
    name: "ferry.health.errors_raised",
    unit: "{error}",
    description: "Health errors newly present on a replicating server's sample, by code and severity.",
  },
} as const satisfies Record<string, MetricName>;

export const attributeNames = {
  projectId: "ferry.project.id",
  itemId: "ferry.item.id",
  diskId: "ferry.disk.id",
  jobId: "ferry.job.id",
  batchKind: "ferry.batch.kind",
  batchSequence: "ferry.batch.sequence",
  batchBytes: "ferry.batch.bytes",
  batchDiskBytes: "ferry.batch.disk_bytes",
  outcome: "ferry.outcome",
  errorCode: "ferry.error.code",
  applyBatches: "ferry.apply.batches",
  applyRewrite: "ferry.apply.rewrite",
  pointId: "ferry.point.id",
  pointType: "ferry.point.type",
  pointOrigin: "ferry.point.origin",
  pointFinal: "ferry.point.final",
  operation: "ferry.job.operation",
  task: "ferry.job.task",
  healthCode: "ferry.health.code",
  healthSeverity: "ferry.health.severity",
  sampledItems: "ferry.health.sampled_items",
} as const;

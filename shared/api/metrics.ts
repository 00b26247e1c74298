import * as z from "zod";
import { healthErrorCodes, healthStates } from "../domain/health";
import { idSchema, named, timeSchema } from "./common";

/** Query of GET .../replicating-servers/{i}/metrics: samples taken at or after `since` (default: all kept). */
export const metricsQuery = z.strictObject({ since: timeSchema.optional() });
export type MetricsQuery = z.infer<typeof metricsQuery>;

const healthErrorCodeList = z.array(z.enum(healthErrorCodes));

export const metricSampleSchema = named(
  "MetricSample",
  z.object({
    time: timeSchema,
    rpoSeconds: z.int().min(0).optional(),
    lagSeconds: z
      .int()
      .min(0)
      .optional()
      .describe("Seconds the newest processed (applied) recovery point trails the newest recovery point."),
    uploadBytesPerSecond: z.number().min(0),
    backlogBytes: z.int().min(0),
    health: z.enum(healthStates),
    healthErrors: healthErrorCodeList,
  }),
);

export const healthChangeSchema = named(
  "HealthChange",
  z.object({ time: timeSchema, health: z.enum(healthStates), healthErrors: healthErrorCodeList }),
);

export const itemMetricsSchema = named(
  "ReplicatingServerMetrics",
  z.object({
    itemId: idSchema("item"),
    /** How often samples are taken. */
    sampleSeconds: z.number().positive(),
    /** Samples in time order, kept as long as the policy keeps recovery points. */
    samples: z.array(metricSampleSchema),
    /** The first sample's health, then every sample whose health or health errors changed. */
    healthChanges: z.array(healthChangeSchema),
  }),
  "A replicating server's RPO, lag, upload speed, backlog and health over time.",
);
export type ItemMetrics = z.infer<typeof itemMetricsSchema>;

import * as z from "zod";
import { jobOperations } from "../domain/jobTasks";
import { jobProgress, jobStates, taskStates, type Job } from "../domain/jobs";
import { idSchema, named, timeSchema } from "./common";

export const jobErrorSchema = named(
  "JobError",
  z.object({ code: z.string(), message: z.string(), recommendedAction: z.string().optional() }),
);

export const jobTaskSchema = named(
  "JobTask",
  z.object({
    name: z.string(),
    state: z.enum(taskStates),
    startTime: timeSchema.optional(),
    endTime: timeSchema.optional(),
    progress: z.int().min(0).max(100).optional(),
    note: z.string().optional(),
    errors: z.array(jobErrorSchema),
    kind: z
      .enum(["Group", "Item", "Action"])
      .optional()
      .describe("A recovery plan's task: a group, an item or an action."),
    itemId: idSchema("item").optional(),
    jobId: idSchema("job").optional().describe("A plan's item task: the item's own job."),
    instructions: z.string().optional().describe("A manual action's instructions, shown while it waits."),
    comment: z.string().optional().describe("What the operator said when resuming the job."),
  }),
);

export const jobSchema = named(
  "Job",
  z.object({
    id: idSchema("job"),
    operation: z.enum(jobOperations),
    displayName: z.string(),
    itemId: idSchema("item").optional(),
    state: z.enum(jobStates),
    progress: z.int().min(0).max(100),
    createTime: timeSchema,
    startTime: timeSchema.optional(),
    endTime: timeSchema.optional(),
    tasks: z.array(jobTaskSchema),
    errors: z.array(jobErrorSchema),
    warnings: z.array(z.string()),
    /** Set by VerifyRecoveryPoint: each disk's SHA-256. */
    result: z.record(z.string(), z.unknown()).optional(),
    /** What the job acts on besides its item, e.g. { recoveryPointId }. */
    parameters: z.record(z.string(), z.string()).optional(),
    cancelRequestedTime: timeSchema
      .optional()
      .describe("When a cancel was accepted: no task starts after it, and the job ends Cancelled."),
  }),
);
export type JobResponse = z.infer<typeof jobSchema>;

export const jobEnvelope = named("JobEnvelope", z.object({ job: jobSchema }), "Operations answer 202 with their job.");

/** Query of GET /projects/{p}/jobs. */
export const jobListQuery = z.strictObject({
  itemId: idSchema("item").optional(),
  state: z.enum(jobStates).optional(),
});
export type JobListQuery = z.infer<typeof jobListQuery>;

/** The wire shape of a job: the domain record plus its derived progress. */
export function toJobResponse(job: Job): JobResponse {
  return jobSchema.parse({ ...job, progress: jobProgress(job) });
}

import * as z from "zod";
import { migrationStates, testMigrateStates } from "../domain/itemState";
import { defaultWebhookTimeoutSeconds } from "../domain/recoveryPlans";
import { idSchema, named, secretSchema, timeSchema } from "./common";
import { recoveryPointChoiceSchema } from "./operations";

const actionName = z.string().min(1).max(80);
const actionCommon = { name: actionName, continueOnError: z.boolean().optional() };

export const planActionSchema = named(
  "RecoveryPlanAction",
  z.discriminatedUnion("kind", [
    z.strictObject({ ...actionCommon, kind: z.literal("Manual"), instructions: z.string().min(1).max(4000) }),
    z.strictObject({
      ...actionCommon,
      kind: z.literal("Webhook"),
      url: z.string().min(8).max(2048),
      timeoutSeconds: z
        .int()
        .min(1)
        .max(900)
        .optional()
        .describe(`How long the receiver has to answer 2xx (default ${defaultWebhookTimeoutSeconds}).`),
    }),
  ]),
  "A manual step waits for POST .../jobs/{jobId}/resume; a webhook gets a signed POST and must answer 2xx.",
);

const groupName = z.string().min(1).max(64);
const planGroupRequest = z.strictObject({
  name: groupName.optional(),
  items: z.array(idSchema("item")).min(1).max(100),
  preActions: z.array(planActionSchema).max(20).optional(),
  postActions: z.array(planActionSchema).max(20).optional(),
});

const planFields = {
  name: z.string().min(1).max(80),
  description: z.string().max(1000).optional(),
  groups: z.array(planGroupRequest).min(1).max(20),
};

export const createRecoveryPlanRequest = named("CreateRecoveryPlanRequest", z.strictObject(planFields));
export type CreateRecoveryPlanRequest = z.infer<typeof createRecoveryPlanRequest>;

export const updateRecoveryPlanRequest = named(
  "UpdateRecoveryPlanRequest",
  z
    .strictObject(planFields)
    .partial()
    .refine((body) => Object.keys(body).length > 0, { message: "name at least one field to change" }),
  "Replaces what it names; refused while a plan job runs.",
);
export type UpdateRecoveryPlanRequest = z.infer<typeof updateRecoveryPlanRequest>;

export const planMigrateRequest = named(
  "RecoveryPlanMigrateRequest",
  z.strictObject({
    shutdownSource: z.boolean().default(true),
    recoveryPoint: recoveryPointChoiceSchema.optional(),
    startAt: timeSchema.optional().describe("When the cutover starts: the job waits NotStarted until then."),
    maxDowntimeSeconds: z
      .int()
      .min(1)
      .max(7 * 24 * 3600)
      .optional()
      .describe("Refused (409 DowntimeBudgetExceeded) when an item's estimated final sync is longer."),
  }),
);
export type PlanMigrateRequest = z.infer<typeof planMigrateRequest>;

export const resumeJobRequest = named(
  "ResumeJobRequest",
  z.strictObject({ comment: z.string().max(2000).default("") }),
  "Continues a job whose task waits for a manual action; the comment is kept on the task.",
);
export type ResumeJobRequest = z.infer<typeof resumeJobRequest>;

const planItemSchema = z.object({
  id: idSchema("item"),
  name: z.string(),
  migrationState: z.enum(migrationStates).optional().describe("Absent when the item no longer exists."),
  testMigrateState: z.enum(testMigrateStates).optional(),
  estimatedFinalSyncSeconds: z.int().min(0).optional(),
});

export const recoveryPlanSchema = named(
  "RecoveryPlan",
  z.object({
    id: idSchema("recoveryPlan"),
    projectId: idSchema("project"),
    name: z.string(),
    description: z.string().optional(),
    groups: z.array(
      z.object({
        name: z.string(),
        items: z.array(planItemSchema),
        preActions: z.array(planActionSchema),
        postActions: z.array(planActionSchema),
      }),
    ),
    currentJobId: idSchema("job").optional(),
    createTime: timeSchema,
    updateTime: timeSchema,
  }),
);
export type RecoveryPlanResponse = z.infer<typeof recoveryPlanSchema>;

export const createRecoveryPlanResponse = named(
  "CreateRecoveryPlanResponse",
  z.object({
    plan: recoveryPlanSchema,
    webhookSecret: secretSchema(32, 128).describe(
      "Signs every webhook call (x-ferry-signature: HMAC-SHA256 hex of the body); shown this once.",
    ),
  }),
);
export type CreateRecoveryPlanResponse = z.infer<typeof createRecoveryPlanResponse>;

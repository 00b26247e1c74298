import * as z from "zod";
import { policyLimits, validatePolicy } from "../domain/policy";
import { idSchema, named, nameSchema, timeSchema } from "./common";

const limits = policyLimits;

const policyFields = {
  name: nameSchema,
  rpoThresholdMinutes: z.int().min(limits.rpoThresholdMinutes.min).max(limits.rpoThresholdMinutes.max),
  recoveryPointRetentionHours: z
    .int()
    .min(limits.recoveryPointRetentionHours.min)
    .max(limits.recoveryPointRetentionHours.max),
  crashConsistentFrequencyMinutes: z
    .int()
    .min(limits.crashConsistentFrequencyMinutes.min)
    .max(limits.crashConsistentFrequencyMinutes.max),
  appConsistentFrequencyMinutes: z
    .int()
    .min(limits.appConsistentFrequencyMinutes.off)
    .max(limits.appConsistentFrequencyMinutes.max)
    .describe("0 turns app-consistent points off; otherwise 60-720 minutes."),
};

/** Field ranges in the schema (so OpenAPI shows them); the rules that relate fields come from the domain. */
export const createPolicyRequest = named(
  "CreatePolicyRequest",
  z.strictObject(policyFields).check((ctx) => {
    const result = validatePolicy(ctx.value);
    if (!result.ok) {
      ctx.issues.push({
        code: "custom",
        input: ctx.value,
        path: result.error.target ? [result.error.target] : [],
        message: result.error.message,
      });
    }
  }),
);
export type CreatePolicyRequest = z.infer<typeof createPolicyRequest>;

export const policySchema = named(
  "Policy",
  z.object({ id: idSchema("policy"), projectId: idSchema("project"), ...policyFields, createdAt: timeSchema }),
);
export type Policy = z.infer<typeof policySchema>;

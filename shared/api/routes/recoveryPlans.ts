import type { z } from "zod";
import { emptyBodySchema } from "../common";
import { testMigrateRequest } from "../operations";
import {
  createRecoveryPlanRequest,
  createRecoveryPlanResponse,
  planMigrateRequest,
  recoveryPlanSchema,
  updateRecoveryPlanRequest,
} from "../recoveryPlans";
import { accepted, defineRoutes, projectPath } from "./route";

const plans = `${projectPath}/recovery-plans` as const;
const plan = `${plans}/{planId}` as const;

/** A plan operation: a POST that answers 202 with the plan's job. */
function planOperation<S extends string, B extends z.ZodType = typeof emptyBodySchema>(
  segment: S,
  summary: string,
  body?: B,
) {
  return {
    method: "post",
    path: `${plan}/${segment}`,
    summary,
    auth: "operator",
    access: "operate",
    body: (body ?? emptyBodySchema) as B,
    response: accepted(
      `${summary} started. 409 OperationNotAllowed names the items that block it (details.items); nothing changes.`,
    ),
  } as const;
}

/** Recovery plans: an application's servers in ordered groups, with manual steps and webhooks. */
export const recoveryPlanRoutes = defineRoutes({
  createRecoveryPlan: {
    method: "post",
    path: plans,
    summary: "Create a recovery plan",
    auth: "operator",
    access: "operate",
    body: createRecoveryPlanRequest,
    response: {
      status: 201,
      description: "The plan, and its webhook signing secret (shown this once).",
      schema: createRecoveryPlanResponse,
    },
  },
  listRecoveryPlans: {
    method: "get",
    path: plans,
    summary: "List recovery plans",
    auth: "operator",
    access: "read",
    response: { status: 200, description: "The plans.", schema: recoveryPlanSchema, list: true },
  },
  getRecoveryPlan: {
    method: "get",
    path: plan,
    summary: "Get a recovery plan",
    auth: "operator",
    access: "read",
    response: { status: 200, description: "The plan, each item with its name and state.", schema: recoveryPlanSchema },
  },
  updateRecoveryPlan: {
    method: "patch",
    path: plan,
    summary: "Change a recovery plan",
    auth: "operator",
    access: "operate",
    body: updateRecoveryPlanRequest,
    response: { status: 200, description: "The plan as changed.", schema: recoveryPlanSchema },
  },
  deleteRecoveryPlan: {
    method: "delete",
    path: plan,
    summary: "Delete a recovery plan",
    auth: "operator",
    access: "operate",
    response: { status: 204, description: "Deleted (its jobs stay)." },
  },
  testMigratePlan: planOperation("test-migrate", "Recovery plan test migration", testMigrateRequest),
  testMigrateCleanupPlan: planOperation("test-migrate-cleanup", "Recovery plan test migration cleanup"),
  migratePlan: planOperation("migrate", "Recovery plan migration", planMigrateRequest),
  completePlan: planOperation("complete", "Recovery plan complete migration"),
});

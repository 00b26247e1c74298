import * as df from "durable-functions";
import type { z } from "zod";
import { emptyBodySchema } from "../../shared/api/common";
import { testMigrateRequest } from "../../shared/api/operations";
import { parseBody } from "../../shared/api/parseBody";
import { planMigrateRequest, resumeJobRequest } from "../../shared/api/recoveryPlans";
import { routes, type Route } from "../../shared/api/routes";
import { jobView } from "../../shared/controlPlane/jobStore";
import type { PlanOperation } from "../../shared/domain/jobTasks";
import { cancellableOperations } from "../../shared/lifecycle/cancellation";
import {
  actionResumedEvent,
  beginPlanOperation,
  failPlanJob,
  resumeJob,
  type PlanParameters,
} from "../../shared/plans";
import { services } from "../../shared/services";
import { runPlanJobName, type RunPlanJobInput } from "../orchestrations/runPlanJob";
import { readOptionalJson } from "./body";
import { jobLocation } from "./jobStart";
import { idParam } from "./params";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

/** Starts the plan's job (instance id = job id); the job's own skipped items are left out of its steps. */
function planHandler<S extends z.ZodType>(
  operation: PlanOperation,
  schema: S,
  toParameters: (body: z.infer<S>) => PlanParameters,
): HttpHandler {
  return async (request, context) => {
    const projectId = idParam(request, "project");
    const planId = idParam(request, "recoveryPlan", "planId");
    const parameters = toParameters(parseBody(schema, await readOptionalJson(request)));
    const { job, groups } = await beginPlanOperation(services(), projectId, planId, operation, parameters);
    const input: RunPlanJobInput = {
      projectId,
      jobId: job.id,
      planId,
      operation,
      parameters,
      groups,
      cancellable: cancellableOperations.includes(operation),
    };
    try {
      await df.getClient(context).startNew(runPlanJobName, { instanceId: job.id, input });
    } catch (error) {
      const failure = { code: "JobStartFailed", message: "The job could not be started; try again." };
      await failPlanJob(services(), { projectId, jobId: job.id, planId, error: failure });
      throw error;
    }
    return json(202, { job: jobView(job) }, jobLocation(projectId, job.id));
  };
}

const operations: [Route, HttpHandler][] = [
  [
    routes.testMigratePlan,
    planHandler("RecoveryPlanTestMigrate", testMigrateRequest, (b) => ({
      network: b.network,
      subnet: b.subnet,
      recoveryPoint: b.recoveryPoint,
    })),
  ],
  [routes.testMigrateCleanupPlan, planHandler("RecoveryPlanTestMigrateCleanup", emptyBodySchema, () => ({}))],
  [
    routes.migratePlan,
    planHandler("RecoveryPlanMigrate", planMigrateRequest, (b) => ({
      shutdownSource: b.shutdownSource,
      recoveryPoint: b.recoveryPoint,
      startAt: b.startAt,
      maxDowntimeSeconds: b.maxDowntimeSeconds,
      finalSyncTimeoutSeconds: services().config.finalSyncTimeoutSeconds,
    })),
  ],
  [routes.completePlan, planHandler("RecoveryPlanComplete", emptyBodySchema, () => ({}))],
];

for (const [route, handler] of operations) register(route, handler, [df.input.durableClient()]);

/** Continues a job waiting on a manual action: the task records the comment, then the job is woken. */
export const postResumeJob: HttpHandler = async (request, context) => {
  const projectId = idParam(request, "project");
  const { comment } = parseBody(resumeJobRequest, await readOptionalJson(request));
  const job = await resumeJob(services(), projectId, idParam(request, "job"), comment);
  await df.getClient(context).raiseEvent(job.id, actionResumedEvent, {});
  return json(202, { job: jobView(job) }, jobLocation(projectId, job.id));
};

register(routes.resumeJob, postResumeJob, [df.input.durableClient()]);

import * as df from "durable-functions";
import type { z } from "zod";
import { emptyBodySchema } from "../../shared/api/common";
import { migrateRequest, testMigrateRequest } from "../../shared/api/operations";
import { parseBody } from "../../shared/api/parseBody";
import { routes, type Route } from "../../shared/api/routes";
import { jobView } from "../../shared/controlPlane/jobStore";
import type { ItemOperation } from "../../shared/domain/itemState";
import { beginOperation } from "../../shared/lifecycle/beginOperation";
import type { OperationParameters } from "../../shared/lifecycle/taskTypes";
import { services } from "../../shared/services";
import { readOptionalJson } from "./body";
import { jobLocation, startJob } from "./jobStart";
import { idParam } from "./params";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

function operationHandler<S extends z.ZodType>(
  operation: ItemOperation,
  schema: S,
  toParameters: (body: z.infer<S>) => OperationParameters,
): HttpHandler {
  return async (request, context) => {
    const projectId = idParam(request, "project");
    const itemId = idParam(request, "item");
    const parameters = toParameters(parseBody(schema, await readOptionalJson(request)));
    const job = await beginOperation(services(), projectId, itemId, operation, parameters);
    await startJob(context, projectId, itemId, job, parameters);
    return json(202, { job: jobView(job) }, jobLocation(projectId, job.id));
  };
}

const none = () => ({});
const operations: [Route, HttpHandler][] = [
  [
    routes.testMigrate,
    operationHandler("TestMigrate", testMigrateRequest, (b) => ({
      network: b.network,
      subnet: b.subnet,
      recoveryPoint: b.recoveryPoint,
    })),
  ],
  [routes.testMigrateCleanup, operationHandler("TestMigrateCleanup", emptyBodySchema, none)],
  [
    routes.migrate,
    operationHandler("Migrate", migrateRequest, (b) => ({
      shutdownSource: b.shutdownSource,
      recoveryPoint: b.recoveryPoint,
      finalSyncTimeoutSeconds: services().config.finalSyncTimeoutSeconds,
    })),
  ],
  [routes.completeMigration, operationHandler("DisableMigration", emptyBodySchema, none)],
  [routes.resync, operationHandler("StartResync", emptyBodySchema, none)],
  [routes.pauseReplication, operationHandler("PauseReplication", emptyBodySchema, none)],
  [routes.resumeReplication, operationHandler("ResumeReplication", emptyBodySchema, none)],
];

for (const [route, handler] of operations) register(route, handler, [df.input.durableClient()]);

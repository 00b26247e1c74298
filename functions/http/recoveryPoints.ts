import * as df from "durable-functions";
import { emptyBodySchema } from "../../shared/api/common";
import { parseBody } from "../../shared/api/parseBody";
import { routes } from "../../shared/api/routes";
import { jobView } from "../../shared/controlPlane/jobStore";
import { listRecoveryPoints } from "../../shared/replication/store";
import { beginVerify } from "../../shared/replication/points";
import { services } from "../../shared/services";
import { readSmallBody, parseJson } from "./body";
import { jobLocation, startJob } from "./jobStart";
import { idParam, list } from "./params";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

export const getRecoveryPoints: HttpHandler = async (request) =>
  json(200, list(await listRecoveryPoints(services(), idParam(request, "project"), idParam(request, "item"))));

/** 202 with a VerifyRecoveryPoint job whose result gives each disk's SHA-256. */
export const postVerify: HttpHandler = async (request, context) => {
  const projectId = idParam(request, "project");
  const itemId = idParam(request, "item");
  const pointId = idParam(request, "recoveryPoint");
  const bytes = await readSmallBody(request);
  parseBody(emptyBodySchema, bytes.length === 0 ? {} : parseJson(bytes, request.headers.get("content-type")));
  const job = await beginVerify(services(), projectId, itemId, pointId);
  await startJob(context, projectId, itemId, job, { recoveryPointId: pointId });
  return json(202, { job: jobView(job) }, jobLocation(projectId, job.id));
};

register(routes.listRecoveryPoints, getRecoveryPoints);
register(routes.verifyRecoveryPoint, postVerify, [df.input.durableClient()]);

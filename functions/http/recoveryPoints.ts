import { app } from "@azure/functions";
import * as df from "durable-functions";
import { emptyBodySchema } from "../../shared/api/common";
import { parseBody } from "../../shared/api/parseBody";
import { jobView } from "../../shared/controlPlane/jobStore";
import { listRecoveryPoints } from "../../shared/replication/store";
import { beginVerify } from "../../shared/replication/points";
import { services } from "../../shared/services";
import { readSmallBody, parseJson } from "./body";
import { jobLocation, startJob } from "./jobStart";
import { operator } from "./operatorAuth";
import { idParam, list } from "./params";
import { json, withErrors, type HttpHandler } from "./respond";

export const getRecoveryPoints: HttpHandler = async (request) =>
  json(
    200,
    list(await listRecoveryPoints(services(), idParam(request, "p", "project"), idParam(request, "i", "item"))),
  );

/** 202 with a VerifyRecoveryPoint job whose result gives each disk's SHA-256. */
export const postVerify: HttpHandler = async (request, context) => {
  const projectId = idParam(request, "p", "project");
  const itemId = idParam(request, "i", "item");
  const pointId = idParam(request, "r", "recoveryPoint");
  const bytes = await readSmallBody(request);
  parseBody(emptyBodySchema, bytes.length === 0 ? {} : parseJson(bytes, request.headers.get("content-type")));
  const job = await beginVerify(services(), projectId, itemId, pointId);
  await startJob(context, projectId, itemId, job, { recoveryPointId: pointId });
  return json(202, { job: jobView(job) }, jobLocation(projectId, job.id));
};

const points = "projects/{p}/replicating-servers/{i}/recovery-points";
app.http("listRecoveryPoints", {
  methods: ["GET"],
  route: points,
  authLevel: "anonymous",
  handler: withErrors(operator(getRecoveryPoints)),
});
app.http("verifyRecoveryPoint", {
  methods: ["POST"],
  route: `${points}/{r}/verify`,
  authLevel: "anonymous",
  extraInputs: [df.input.durableClient()],
  handler: withErrors(operator(postVerify)),
});

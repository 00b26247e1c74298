import { app } from "@azure/functions";
import * as df from "durable-functions";
import { jobListQuery } from "../../shared/api/jobs";
import { parseBody } from "../../shared/api/parseBody";
import { getJob, jobView, listJobs } from "../../shared/controlPlane/jobStore";
import { requestJobCancel } from "../../shared/lifecycle/cancellation";
import { services } from "../../shared/services";
import { cancelEventName } from "../orchestrations/runJob";
import { jobLocation } from "./jobStart";
import { operator } from "./operatorAuth";
import { idParam, list } from "./params";
import { json, withErrors, type HttpHandler } from "./respond";

export const getJobs: HttpHandler = async (request) => {
  const query = parseBody(jobListQuery, Object.fromEntries(request.query.entries()));
  return json(200, list((await listJobs(services(), idParam(request, "p", "project"), query)).map(jobView)));
};

export const getOneJob: HttpHandler = async (request) =>
  json(200, jobView(await getJob(services(), idParam(request, "p", "project"), idParam(request, "j", "job"))));

/**
 * Cancels a running test migration or migration: the job undoes what it made and the item keeps
 * replicating. 202 only when the cancel will take effect; past the job's point of no return, 409.
 */
export const postCancelJob: HttpHandler = async (request, context) => {
  const projectId = idParam(request, "p", "project");
  const job = await requestJobCancel(services(), projectId, idParam(request, "j", "job"));
  await df.getClient(context).raiseEvent(job.id, cancelEventName, {});
  return json(202, { job: jobView(job) }, jobLocation(projectId, job.id));
};

app.http("listJobs", {
  methods: ["GET"],
  route: "projects/{p}/jobs",
  authLevel: "anonymous",
  handler: withErrors(operator(getJobs)),
});
app.http("getJob", {
  methods: ["GET"],
  route: "projects/{p}/jobs/{j}",
  authLevel: "anonymous",
  handler: withErrors(operator(getOneJob)),
});
app.http("cancelJob", {
  methods: ["POST"],
  route: "projects/{p}/jobs/{j}/cancel",
  authLevel: "anonymous",
  extraInputs: [df.input.durableClient()],
  handler: withErrors(operator(postCancelJob)),
});

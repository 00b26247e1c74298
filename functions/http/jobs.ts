import * as df from "durable-functions";
import { jobListQuery } from "../../shared/api/jobs";
import { parseBody } from "../../shared/api/parseBody";
import { routes } from "../../shared/api/routes";
import { getJob, jobView, listJobs } from "../../shared/controlPlane/jobStore";
import { requestJobCancel } from "../../shared/lifecycle/cancellation";
import { services } from "../../shared/services";
import { cancelEventName } from "../orchestrations/runJob";
import { jobLocation } from "./jobStart";
import { idParam, list } from "./params";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

export const getJobs: HttpHandler = async (request) => {
  const query = parseBody(jobListQuery, Object.fromEntries(request.query.entries()));
  return json(200, list((await listJobs(services(), idParam(request, "project"), query)).map(jobView)));
};

export const getOneJob: HttpHandler = async (request) =>
  json(200, jobView(await getJob(services(), idParam(request, "project"), idParam(request, "job"))));

/**
 * Cancels a running test migration or migration: the job undoes what it made and the item keeps
 * replicating. 202 only when the cancel will take effect; past the job's point of no return, 409.
 */
export const postCancelJob: HttpHandler = async (request, context) => {
  const projectId = idParam(request, "project");
  const job = await requestJobCancel(services(), projectId, idParam(request, "job"));
  await df.getClient(context).raiseEvent(job.id, cancelEventName, {});
  return json(202, { job: jobView(job) }, jobLocation(projectId, job.id));
};

register(routes.listJobs, getJobs);
register(routes.getJob, getOneJob);
register(routes.cancelJob, postCancelJob, [df.input.durableClient()]);

import { app } from "@azure/functions";
import * as df from "durable-functions";
import { parseBody } from "../../shared/api/parseBody";
import { enableReplicationRequest, updateReplicatingServerRequest } from "../../shared/api/replications";
import { beginEnableReplication } from "../../shared/controlPlane/enableReplication";
import { getItem, listItems } from "../../shared/controlPlane/items";
import { jobView } from "../../shared/controlPlane/jobStore";
import { updateTargetSettings } from "../../shared/controlPlane/targetSettings";
import { setThrottle } from "../../shared/controlPlane/throttle";
import { services } from "../../shared/services";
import { readJson } from "./body";
import { jobLocation, startJob } from "./jobStart";
import { operator } from "./operatorAuth";
import { idParam, list } from "./params";
import { json, withErrors, type HttpHandler } from "./respond";

export const postReplication: HttpHandler = async (request, context) => {
  const projectId = idParam(request, "p", "project");
  const body = parseBody(enableReplicationRequest, await readJson(request));
  const { itemId, job } = await beginEnableReplication(services(), projectId, body);
  await startJob(context, projectId, itemId, job);
  return json(
    202,
    { item: await getItem(services(), projectId, itemId), job: jobView(job) },
    jobLocation(projectId, job.id),
  );
};

export const getReplicatingServers: HttpHandler = async (request) =>
  json(200, list(await listItems(services(), idParam(request, "p", "project"))));

export const getReplicatingServer: HttpHandler = async (request) =>
  json(200, await getItem(services(), idParam(request, "p", "project"), idParam(request, "i", "item")));

export const patchReplicatingServer: HttpHandler = async (request) => {
  const projectId = idParam(request, "p", "project");
  const itemId = idParam(request, "i", "item");
  const body = parseBody(updateReplicatingServerRequest, await readJson(request));
  if (body.target && Object.keys(body.target).length > 0)
    await updateTargetSettings(services(), projectId, itemId, body.target);
  if (body.throttleBytesPerSecond !== undefined)
    await setThrottle(services(), projectId, itemId, body.throttleBytesPerSecond);
  return json(200, await getItem(services(), projectId, itemId));
};

const client = [df.input.durableClient()];
app.http("enableReplication", {
  methods: ["POST"],
  route: "projects/{p}/replications",
  authLevel: "anonymous",
  extraInputs: client,
  handler: withErrors(operator(postReplication)),
});
app.http("listReplicatingServers", {
  methods: ["GET"],
  route: "projects/{p}/replicating-servers",
  authLevel: "anonymous",
  handler: withErrors(operator(getReplicatingServers)),
});
app.http("getReplicatingServer", {
  methods: ["GET"],
  route: "projects/{p}/replicating-servers/{i}",
  authLevel: "anonymous",
  handler: withErrors(operator(getReplicatingServer)),
});
app.http("updateReplicatingServer", {
  methods: ["PATCH"],
  route: "projects/{p}/replicating-servers/{i}",
  authLevel: "anonymous",
  handler: withErrors(operator(patchReplicatingServer)),
});

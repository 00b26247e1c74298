import * as df from "durable-functions";
import { parseBody } from "../../shared/api/parseBody";
import { enableReplicationRequest, updateReplicatingServerRequest } from "../../shared/api/replications";
import { routes } from "../../shared/api/routes";
import { beginEnableReplication } from "../../shared/controlPlane/enableReplication";
import { getItem, listItems } from "../../shared/controlPlane/items";
import { jobView } from "../../shared/controlPlane/jobStore";
import { updateTargetSettings } from "../../shared/controlPlane/targetSettings";
import { setThrottle } from "../../shared/controlPlane/throttle";
import { services } from "../../shared/services";
import { readJson } from "./body";
import { jobLocation, startJob } from "./jobStart";
import { idParam, list } from "./params";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

export const postReplication: HttpHandler = async (request, context) => {
  const projectId = idParam(request, "project");
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
  json(200, list(await listItems(services(), idParam(request, "project"))));

export const getReplicatingServer: HttpHandler = async (request) =>
  json(200, await getItem(services(), idParam(request, "project"), idParam(request, "item")));

export const patchReplicatingServer: HttpHandler = async (request) => {
  const projectId = idParam(request, "project");
  const itemId = idParam(request, "item");
  const body = parseBody(updateReplicatingServerRequest, await readJson(request));
  if (body.target && Object.keys(body.target).length > 0)
    await updateTargetSettings(services(), projectId, itemId, body.target);
  if (body.throttleBytesPerSecond !== undefined)
    await setThrottle(services(), projectId, itemId, body.throttleBytesPerSecond);
  return json(200, await getItem(services(), projectId, itemId));
};

register(routes.enableReplication, postReplication, [df.input.durableClient()]);
register(routes.listReplicatingServers, getReplicatingServers);
register(routes.getReplicatingServer, getReplicatingServer);
register(routes.updateReplicatingServer, patchReplicatingServer);

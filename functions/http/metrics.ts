import { metricsQuery } from "../../shared/api/metrics";
import { parseBody } from "../../shared/api/parseBody";
import { routes } from "../../shared/api/routes";
import { itemMetrics } from "../../shared/metrics/itemMetrics";
import { services } from "../../shared/services";
import { idParam } from "./params";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

export const getItemMetrics: HttpHandler = async (request) => {
  const query = parseBody(metricsQuery, Object.fromEntries(request.query.entries()));
  const since = query.since === undefined ? undefined : new Date(query.since);
  return json(200, await itemMetrics(services(), idParam(request, "project"), idParam(request, "item"), since));
};

register(routes.getReplicatingServerMetrics, getItemMetrics);

import { agentRoutes } from "./routes/agents";
import { jobRoutes } from "./routes/jobs";
import { operationRoutes } from "./routes/operations";
import { operatorKeyRoutes } from "./routes/operatorKeys";
import { projectRoutes } from "./routes/projects";
import { replicationRoutes } from "./routes/replication";
import type { Route } from "./routes/route";
import { systemRoutes } from "./routes/system";
import { virtualMachineRoutes } from "./routes/virtualMachines";

export { routeUrl, type Access, type Auth, type Method, type Route, type RouteResponse } from "./routes/route";

/**
 * The one table of the operator and agent APIs, under /api: functions/http registers each handler
 * from its entry and the OpenAPI document is generated from it, so neither can drift from it.
 */
export const routes = {
  ...projectRoutes,
  ...agentRoutes,
  ...replicationRoutes,
  ...operationRoutes,
  ...jobRoutes,
  ...virtualMachineRoutes,
  ...operatorKeyRoutes,
  ...systemRoutes,
};

/** Every route once, in the order the OpenAPI document lists them. */
export const routeList: readonly Route[] = Object.values(routes);

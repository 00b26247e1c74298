import { agentRoutes } from "./routes/agents";
import { jobRoutes } from "./routes/jobs";
import { operationRoutes } from "./routes/operations";
import { operatorKeyRoutes } from "./routes/operatorKeys";
import { portalRoutes } from "./routes/portal";
import { projectRoutes } from "./routes/projects";
import { recoveryPlanRoutes } from "./routes/recoveryPlans";
import { replicationRoutes } from "./routes/replication";
import type { Route } from "./routes/route";
import { sessionRoutes } from "./routes/session";
import { systemRoutes } from "./routes/system";
import { virtualMachineRoutes } from "./routes/virtualMachines";

export {
  routeUrl,
  servedPath,
  type Access,
  type Auth,
  type Method,
  type Route,
  type RouteResponse,
} from "./routes/route";

/**
 * The one table of the operator and agent APIs, under /api, and of the portal's files at the site
 * root: functions/http registers each handler from its entry and the OpenAPI document is generated
 * from its API routes, so neither can drift from it.
 */
export const routes = {
  ...projectRoutes,
  ...agentRoutes,
  ...replicationRoutes,
  ...operationRoutes,
  ...jobRoutes,
  ...recoveryPlanRoutes,
  ...virtualMachineRoutes,
  ...operatorKeyRoutes,
  ...sessionRoutes,
  ...systemRoutes,
  ...portalRoutes,
};

/** Every route once, in the order the OpenAPI document lists them. */
export const routeList: readonly Route[] = Object.values(routes);

/** The API's routes: what the OpenAPI document describes (the portal's files are not part of it). */
export const apiRouteList: readonly Route[] = routeList.filter((route) => route.portal !== true);

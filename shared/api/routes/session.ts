import { portalConfigSchema } from "../session";
import { defineRoutes } from "./route";

/** How operators sign in. */
export const sessionRoutes = defineRoutes({
  getPortalConfig: {
    method: "get",
    path: "/portal-config",
    summary: "How the portal signs operators in (operator key or Entra ID); no secrets",
    auth: "none",
    response: { status: 200, description: "The sign-in settings.", schema: portalConfigSchema },
  },
});

import { portalConfigSchema, whoAmISchema } from "../session";
import { defineRoutes } from "./route";

/** How operators sign in, and who a credential is. */
export const sessionRoutes = defineRoutes({
  getPortalConfig: {
    method: "get",
    path: "/portal-config",
    summary: "How the portal signs operators in (operator key or Entra ID); no secrets",
    auth: "none",
    response: { status: 200, description: "The sign-in settings.", schema: portalConfigSchema },
  },
  whoAmI: {
    method: "get",
    path: "/whoami",
    summary: "The caller's role, and its project when the credential is scoped to one",
    auth: "operator",
    response: { status: 200, description: "The caller.", schema: whoAmISchema },
  },
});

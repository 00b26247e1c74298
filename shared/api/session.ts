import * as z from "zod";
import { operatorRoles } from "../domain/operatorRoles";
import { idSchema, named } from "./common";

export const whoAmISchema = named(
  "WhoAmI",
  z.object({
    role: z.enum(operatorRoles),
    /** Set for a project-scoped credential: the one project it may see. */
    projectId: idSchema("project").optional(),
  }),
  "The caller's role: a Reader sees and may not act; the bootstrap key is Administrator.",
);
export type WhoAmI = z.infer<typeof whoAmISchema>;

export const portalConfigSchema = named(
  "PortalConfig",
  z.object({
    authMode: z.enum(["key", "entra"]),
    /** Entra ID sign-in (SPA redirect), when authMode is "entra". No secrets. */
    entra: z
      .object({
        clientId: z.string(),
        authority: z.string(),
        scopes: z.array(z.string()),
      })
      .optional(),
  }),
  "How the portal signs operators in.",
);
export type PortalConfig = z.infer<typeof portalConfigSchema>;

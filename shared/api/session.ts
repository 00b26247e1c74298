import * as z from "zod";
import { named } from "./common";

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

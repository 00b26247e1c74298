import { routes } from "../../shared/api/routes";
import type { PortalConfig } from "../../shared/api/session";
import type { FerryConfig } from "../../shared/config";
import { services } from "../../shared/services";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

export function portalConfig(auth: FerryConfig["auth"]): PortalConfig {
  const entra = auth.entra;
  if (auth.mode === "key" || !entra?.clientId) return { authMode: auth.mode };
  return {
    authMode: "entra",
    entra: {
      clientId: entra.clientId,
      authority: `https://${entra.authorityHost}/${entra.tenantId}`,
      scopes: [`${entra.audience.startsWith("api://") ? entra.audience : `api://${entra.clientId}`}/.default`],
    },
  };
}

/** GET /api/portal-config: how the portal signs in. Open to anyone; it holds nothing secret. */
export const getPortalConfig: HttpHandler = async () => json(200, portalConfig(services().config.auth));

register(routes.getPortalConfig, getPortalConfig);

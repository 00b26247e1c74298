import { routes } from "../../shared/api/routes";
import type { PortalConfig, WhoAmI } from "../../shared/api/session";
import type { FerryConfig } from "../../shared/config";
import { services } from "../../shared/services";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

export function portalConfig(auth: FerryConfig["auth"]): PortalConfig {
  if (auth.mode === "key" || !auth.entraClientId || !auth.entraTenantId) return { authMode: auth.mode };
  return {
    authMode: "entra",
    entra: {
      clientId: auth.entraClientId,
      authority: `https://${auth.entraAuthorityHost}/${auth.entraTenantId}`,
      scopes: [`${auth.entraAudience ?? `api://${auth.entraClientId}`}/.default`],
    },
  };
}

/** GET /api/portal-config: how the portal signs in. Open to anyone; it holds nothing secret. */
export const getPortalConfig: HttpHandler = async () => json(200, portalConfig(services().config.auth));

/** GET /api/whoami: every credential that passes the operator check today is the bootstrap one. */
export const getWhoAmI: HttpHandler = async () => json(200, { role: "Administrator" } satisfies WhoAmI);

register(routes.getPortalConfig, getPortalConfig);
register(routes.whoAmI, getWhoAmI);

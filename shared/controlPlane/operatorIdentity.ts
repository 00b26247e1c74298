import { roleFromAppRoles, type Principal } from "../domain/access";
import { errors } from "../domain/errors";
import { EntraTokenValidator, type EntraSettings } from "../security/entraTokens";
import { sameSecret } from "../security/tokens";
import type { ControlPlaneDeps } from "./deps";
import { isOperatorKeyText, OperatorKeyVerifier } from "./operatorKeys";

export interface OperatorAuthSettings {
  mode: "key" | "entra";
  operatorKey?: string;
  entra?: EntraSettings;
}

/**
 * Who is calling, from the Authorization header alone: the bootstrap key (the administrator, key
 * mode), a project's operator key (both modes), or an Entra ID token checked here (entra mode).
 */
export class OperatorAuthenticator {
  private readonly keys: OperatorKeyVerifier;
  private readonly entra: EntraTokenValidator | undefined;

  constructor(
    private readonly settings: OperatorAuthSettings,
    deps: ControlPlaneDeps,
  ) {
    this.keys = new OperatorKeyVerifier(deps);
    this.entra = settings.entra && new EntraTokenValidator(settings.entra);
  }

  async authenticate(authorization: string | null): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!match) throw errors.unauthorized();
    const presented = match[1];
    const { mode, operatorKey } = this.settings;
    if (mode === "key" && operatorKey !== undefined && sameSecret(presented, operatorKey))
      return { kind: "administrator" };
    if (isOperatorKeyText(presented)) return this.keys.verify(presented);
    if (mode === "key" || this.entra === undefined) throw errors.unauthorized("The operator key is not valid.");
    const identity = await this.entra.validate(presented);
    const role = roleFromAppRoles(identity.roles);
    if (role === undefined)
      throw errors.forbidden("The token carries no Ferry app role: Ferry.Reader, Ferry.Contributor or Ferry.Owner.");
    return { kind: "role", role, via: { subject: identity.subject } };
  }
}

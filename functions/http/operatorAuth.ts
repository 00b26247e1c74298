import type { HttpRequest } from "@azure/functions";
import { decideAccess, type Access, type Principal } from "../../shared/domain/access";
import { errors } from "../../shared/domain/errors";
import { services } from "../../shared/services";
import type { HttpHandler } from "./respond";

const callers = new WeakMap<HttpRequest, Principal>();

const needed: Record<Access, string> = {
  read: "Reader",
  operate: "Contributor",
  manageKeys: "Owner",
  admin: "the administrator (or an Owner of every project)",
};

/** The caller an operator route's guard authenticated. */
export function callerOf(request: HttpRequest): Principal {
  const caller = callers.get(request);
  if (caller === undefined) throw new Error("An operator handler ran without its guard.");
  return caller;
}

/**
 * Authenticates the caller and applies the one access rule (shared/domain/access.ts) with the
 * route's access level and its project; only then runs the handler.
 */
export function operator(access: Access, handler: HttpHandler): HttpHandler {
  return async (request, context) => {
    const caller = await services().operatorAuth.authenticate(request.headers.get("authorization"));
    const projectId = request.params.projectId;
    const decision = decideAccess(caller, access, projectId);
    // Worded as a project that does not exist would be, so the answer tells nothing about it.
    if (decision === "notFound")
      throw errors.notFound(
        "Project",
        (projectId ?? "").length > 64 ? `${projectId?.slice(0, 64)}…` : (projectId ?? ""),
      );
    if (decision === "forbidden") {
      const role = caller.kind === "role" ? caller.role : "administrator";
      throw errors.forbidden(`A ${role} may not do this: it needs ${needed[access]}.`);
    }
    callers.set(request, caller);
    return handler(request, context);
  };
}

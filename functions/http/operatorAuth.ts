import type { HttpRequest } from "@azure/functions";
import { errors } from "../../shared/domain/errors";
import { sameSecret } from "../../shared/security/tokens";
import { services } from "../../shared/services";
import type { HttpHandler } from "./respond";

/** Refuses a request without the operator's bearer credential. */
export function checkOperator(request: HttpRequest): void {
  const { auth } = services().config;
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw errors.unauthorized();
  if (auth.mode === "key") {
    if (!auth.operatorKey || !sameSecret(match[1], auth.operatorKey))
      throw errors.unauthorized("The operator key is not valid.");
    return;
  }
  // Entra ID tokens are validated by App Service Authentication in front of the app (see infra/).
  if (!request.headers.get("x-ms-client-principal-id")) throw errors.unauthorized("An Entra ID token is required.");
}

/** Wraps an operator API handler: authenticate first, then run. */
export function operator(handler: HttpHandler): HttpHandler {
  return async (request, context) => {
    checkOperator(request);
    return handler(request, context);
  };
}

import { app, type FunctionInput, type HttpMethod } from "@azure/functions";
import type { Method, Route } from "../../shared/api/routes";
import { operator } from "./operatorAuth";
import { withErrors, type HttpHandler } from "./respond";

const httpMethods: Record<Method, HttpMethod> = {
  get: "GET",
  post: "POST",
  patch: "PATCH",
  put: "PUT",
  delete: "DELETE",
};

/**
 * Operator routes run behind the guard, with the access the table gives them. Agent routes are not
 * wrapped: the handler checks the signature as it reads the body the signature covers.
 */
function guarded(route: Route, handler: HttpHandler): HttpHandler {
  return route.auth === "operator" ? operator(route.access, handler) : handler;
}

/** Registers a handler for its entry in the route table: the one place a route becomes a function. */
export function register(route: Route, handler: HttpHandler, extraInputs?: FunctionInput[]): void {
  app.http(route.name, {
    methods: [httpMethods[route.method]],
    route: route.path.slice(1),
    authLevel: "anonymous",
    ...(extraInputs === undefined ? {} : { extraInputs }),
    handler: withErrors(guarded(route, handler)),
  });
}

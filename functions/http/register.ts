import { app, type FunctionInput, type HttpMethod } from "@azure/functions";
import { servedPath, type Method, type Route } from "../../shared/api/routes";
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
 * The route template a Functions host matches (host.json's routePrefix is empty): the API under
 * api/, the portal at the root. An empty template would mean "the function's name", so the site
 * root is an optional parameter that only the empty path satisfies.
 */
export function functionRoute(route: Route): string {
  const served = servedPath(route).slice(1);
  return served === "" ? "{root:maxlength(0)?}" : served;
}

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
    route: functionRoute(route),
    authLevel: "anonymous",
    ...(extraInputs === undefined ? {} : { extraInputs }),
    handler: withErrors(guarded(route, handler)),
  });
}

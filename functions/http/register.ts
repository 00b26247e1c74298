import { app, type FunctionInput, type HttpMethod } from "@azure/functions";
import { servedPath, type Auth, type Method, type Route } from "../../shared/api/routes";
import { operator } from "./operatorAuth";
import { withErrors, type HttpHandler } from "./respond";

const httpMethods: Record<Method, HttpMethod> = { get: "GET", post: "POST", patch: "PATCH", put: "PUT" };

// Agent routes are not wrapped: the handler checks the signature as it reads the body the signature covers.
const guards: Record<Auth, (handler: HttpHandler) => HttpHandler> = {
  operator,
  agent: (handler) => handler,
  none: (handler) => handler,
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

/** Registers a handler for its entry in the route table: the one place a route becomes a function. */
export function register(route: Route, handler: HttpHandler, extraInputs?: FunctionInput[]): void {
  app.http(route.name, {
    methods: [httpMethods[route.method]],
    route: functionRoute(route),
    authLevel: "anonymous",
    ...(extraInputs === undefined ? {} : { extraInputs }),
    handler: withErrors(guards[route.auth](handler)),
  });
}

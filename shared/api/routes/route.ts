import type { z } from "zod";
import type { Access } from "../../domain/access";
import { jobEnvelope } from "../jobs";

export type { Access } from "../../domain/access";

/** "agent": signed with the agent's own key; "none": open, or the body carries the credential. */
export type Auth = "operator" | "agent" | "none";

export type Method = "get" | "post" | "patch" | "put" | "delete";

export interface RouteResponse {
  readonly status: number;
  readonly description: string;
  readonly schema?: z.ZodType;
  /** The body is `{ value: [schema], nextLink? }`. */
  readonly list?: boolean;
  /** A binary stream instead of JSON. */
  readonly binary?: boolean;
}

interface RouteFields {
  readonly method: Method;
  /** Under /api (the portal's at the site root); `{name}` for each path parameter, the name handlers read it by. */
  readonly path: string;
  /** The portal's own files, served at the site root: not part of the API nor of its OpenAPI document. */
  readonly portal?: boolean;
  readonly summary: string;
  readonly body?: z.ZodType;
  /** A binary request body (a change batch) instead of JSON. */
  readonly binaryBody?: boolean;
  readonly query?: z.ZodObject;
  readonly response: RouteResponse;
}

/**
 * One route as written in an area's table; its key there is the function's name. Every operator
 * route says what it needs of the caller's role (shared/domain/access.ts decides); others need none.
 */
export type RouteSpec = RouteFields &
  (
    | { readonly auth: "operator"; readonly access: Access }
    | { readonly auth: "agent" | "none"; readonly access?: never }
  );

export type Route = RouteSpec & {
  /** The Functions function name (logs, `AzureWebJobs.<name>.Disabled`) and the OpenAPI operationId. */
  readonly name: string;
};

/** A table entry keeps its literal path and schemas, so a typed client can read them from its type. */
export type NamedRoutes<T extends Record<string, RouteSpec>> = {
  readonly [K in keyof T & string]: T[K] & { readonly name: K };
};

/** Names each route by its key, so a route's name is written once. */
export function defineRoutes<const T extends Record<string, RouteSpec>>(specs: T): NamedRoutes<T> {
  const entries = Object.entries<RouteSpec>(specs).map(([name, spec]) => [name, { name, ...spec }]);
  return Object.fromEntries(entries) as NamedRoutes<T>;
}

export const projectPath = "/projects/{projectId}";
export const itemPath = `${projectPath}/replicating-servers/{itemId}` as const;

export const accepted = (description: string) =>
  ({ status: 202, description, schema: jobEnvelope }) as const satisfies RouteResponse;

/** Where a route is served: the API under /api, the portal at the site root. */
export function servedPath(route: Pick<RouteSpec, "path" | "portal">): string {
  return route.portal === true ? route.path : `/api${route.path}`;
}

/** A route's served path with its parameters filled in, as a client would call it (a Location header). */
export function routeUrl(
  route: Pick<Route, "name" | "path" | "portal">,
  params: Readonly<Record<string, string>>,
): string {
  return servedPath(route).replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route.name} needs its path parameter ${name}.`);
    return encodeURIComponent(value);
  });
}

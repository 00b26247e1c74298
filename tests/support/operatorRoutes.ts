// Every operator route of the table, called with chosen ids: for the role and project-isolation suites.
import { routeList, type Access } from "../../shared/api/routes";
import type { ApiError, ApiReply, FerryApi } from "./ferryApi";

export interface OperatorCall {
  name: string;
  method: string;
  path: string;
  access: Access;
}

/** The operator routes with their path parameters filled from `ids` (by the table's parameter names). */
export function operatorCalls(ids: Readonly<Record<string, string>>): OperatorCall[] {
  return routeList.flatMap((route) => {
    if (route.auth !== "operator") return [];
    const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = ids[name];
      if (value === undefined) throw new Error(`No id given for {${name}} (${route.name}).`);
      return encodeURIComponent(value);
    });
    return [{ name: route.name, method: route.method.toUpperCase(), path, access: route.access }];
  });
}

/** Calls a route with a bearer credential and an empty JSON body where it takes one. */
export function call(api: FerryApi, route: OperatorCall, bearer: string): Promise<ApiReply<ApiError>> {
  const body = route.method === "GET" || route.method === "DELETE" ? undefined : {};
  return api.request<ApiError>(route.method, route.path, { body, authorization: `Bearer ${bearer}` });
}

/** "name status code" for each reply, to compare whole tables of answers at once. */
export async function answers(api: FerryApi, routes: OperatorCall[], bearer: string): Promise<string[]> {
  const out: string[] = [];
  for (const route of routes) {
    const reply = await call(api, route, bearer);
    out.push(`${route.name} ${reply.status} ${reply.body?.error?.code ?? ""}`.trim());
  }
  return out;
}

export interface CreatedKey {
  id: string;
  name: string;
  role: string;
  key: string;
  expiresAt?: string;
}

/** A project's operator key, made by `api`'s caller (the administrator unless `bearer` says otherwise). */
export function createKey(
  api: FerryApi,
  projectId: string,
  role: "Reader" | "Contributor" | "Owner",
  options: { expiresAt?: string; bearer?: string } = {},
): Promise<CreatedKey> {
  const body = {
    name: `${role.toLowerCase()}-key`,
    role,
    ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}),
  };
  const authorization = options.bearer === undefined ? undefined : `Bearer ${options.bearer}`;
  return api.expect<CreatedKey>(api.post(`/projects/${projectId}/operator-keys`, body, { authorization }), 201);
}

import type { IncomingMessage, ServerResponse } from "node:http";
import type { ClientApi } from "../api/clientApi";
import { DurableHttpError, durableErrors } from "../api/errors";
import type { RuntimeStatus } from "../runtime/instanceMeta";
import type { InstanceFilter } from "../store/instanceQuery";
import { managementPayload, type ClientUrls } from "./clientBinding";
import { readBody, sendJson } from "./respond";
import { log } from "../../log";

export interface DurableRoute {
  api: ClientApi;
  urls: ClientUrls;
}

const flag = (query: URLSearchParams, name: string, fallback: boolean) => {
  const value = query.get(name);
  return value === null ? fallback : value.toLowerCase() === "true";
};

function dateParam(query: URLSearchParams, name: string): Date | undefined {
  const value = query.get(name);
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw durableErrors.badRequest(`${name} is not a date: ${value}`);
  return date;
}

function filterOf(query: URLSearchParams): InstanceFilter {
  const statuses = query.get("runtimeStatus");
  return {
    runtimeStatus: statuses ? statuses.split(",").map((s) => s.trim() as RuntimeStatus) : undefined,
    createdTimeFrom: dateParam(query, "createdTimeFrom"),
    createdTimeTo: dateParam(query, "createdTimeTo"),
    instanceIdPrefix: query.get("instanceIdPrefix") ?? undefined,
  };
}

/** Serves the durable client API for the path after its base (rpc listener or webhook prefix). */
export async function routeDurable(
  route: DurableRoute,
  req: IncomingMessage,
  res: ServerResponse,
  segments: string[],
  query: URLSearchParams,
): Promise<void> {
  try {
    await dispatch(route, req, res, segments, query);
  } catch (error) {
    // A bare message: DurableClient puts the reply body into its errors as it is.
    if (error instanceof DurableHttpError) return sendJson(res, error.status, error.message);
    log(
      "error",
      "durable",
      `${req.method} ${segments.join("/")} failed: ${error instanceof Error ? error.stack : String(error)}`,
    );
    sendJson(res, 500, {
      error: { code: "InternalServerError", message: "The durable task API failed; see the host log." },
    });
  }
}

async function dispatch(
  route: DurableRoute,
  req: IncomingMessage,
  res: ServerResponse,
  segments: string[],
  query: URLSearchParams,
): Promise<void> {
  const { api } = route;
  const method = (req.method ?? "GET").toUpperCase();
  const [area, id, action, eventName] = segments;
  if (area === "entities")
    throw durableErrors.notImplemented("Durable entities (signalEntity, callEntity, readEntityState)");
  if (area === "orchestrators" && id && method === "POST" && segments.length <= 3) {
    const instanceId = await api.start(id, action, await readBody(req));
    const payload = managementPayload(route.urls, instanceId);
    return sendJson(res, 202, payload, { location: payload.statusQueryGetUri });
  }
  if (area !== "instances") throw durableErrors.routeNotFound(segments.join("/"));
  if (!id) return collection(route, req, res, method, query);
  const reason = query.get("reason") ?? "";
  if (segments.length === 2 && method === "GET") {
    const status = await api.status(id, {
      showHistory: flag(query, "showHistory", false),
      showHistoryOutput: flag(query, "showHistoryOutput", false),
      showInput: flag(query, "showInput", true),
    });
    if (!status) throw durableErrors.notFound(id);
    const running = status.runtimeStatus === "Running" || status.runtimeStatus === "Pending";
    return sendJson(res, running ? 202 : 200, status);
  }
  if (segments.length === 2 && method === "DELETE") {
    const deleted = await api.purge(id);
    if (deleted === 0) throw durableErrors.notFound(id);
    return sendJson(res, 200, { instancesDeleted: deleted });
  }
  if (method !== "POST") throw durableErrors.routeNotFound(segments.join("/"));
  if (action === "raiseEvent" && eventName) await api.raiseEvent(id, eventName, await readBody(req));
  else if (action === "terminate") await api.terminate(id, reason);
  else if (action === "suspend") await api.suspend(id, reason);
  else if (action === "resume") await api.resume(id, reason);
  else if (action === "rewind") throw durableErrors.notImplemented("Rewind");
  else throw durableErrors.routeNotFound(segments.join("/"));
  sendJson(res, 202, undefined);
}

async function collection(
  route: DurableRoute,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  query: URLSearchParams,
): Promise<void> {
  if (method === "DELETE") {
    const deleted = await route.api.purgeBy(filterOf(query));
    if (deleted === 0) throw durableErrors.notFound("(any matching the filter)");
    return sendJson(res, 200, { instancesDeleted: deleted });
  }
  if (method !== "GET") throw durableErrors.routeNotFound("instances");
  const header = req.headers["x-ms-continuation-token"];
  const token =
    typeof header === "string" && header !== "" ? Buffer.from(header, "base64url").toString("utf8") : undefined;
  const top = Number(query.get("top") ?? 100);
  const page = await route.api.list(
    filterOf(query),
    top > 0 && top <= 1000 ? top : 100,
    token,
    flag(query, "showInput", false),
  );
  const headers: Record<string, string> = page.token
    ? { "x-ms-continuation-token": Buffer.from(page.token, "utf8").toString("base64url") }
    : {};
  sendJson(res, 200, page.items, headers);
}

import type http from "node:http";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Invoker } from "../core/invoke";
import { log } from "../log";
import { PayloadTooLargeError } from "./bodyLimit";
import { dispatchBuffered, type Dispatch } from "./buffered";
import { authorized, presentedKey, type HostKeys } from "./keys";
import type { RouteTable } from "./routeTable";
import { dispatchStreamed } from "./streamed";
import { dispatchInProcess } from "./inProcess";
import { clientGone, logRequest, type Exchange } from "./requestLog";

/** A route the host itself serves (durable webhooks, admin), matched by path prefix. */
export interface SystemRoute {
  prefix: string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

export interface HttpHostOptions {
  invoker: Invoker;
  routes: RouteTable;
  routePrefix: string;
  bodyLimit: number;
  keys: HostKeys;
  /** The library's HTTP proxy when the app enabled HTTP streaming. */
  workerUri?: string;
  /** That proxy's server object, when the host saw it made: requests then go to it in process. */
  workerProxy?: http.Server;
  systemRoutes: SystemRoute[];
}

export function sendHostError(res: ServerResponse, status: number, code: string, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code, message } });
  if (res.req && hasUnreadBody(res.req)) {
    res.setHeader("connection", "close");
    lingerOnClose(res.req);
  }
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

function hasUnreadBody(req: IncomingMessage): boolean {
  const hasBody = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
  return hasBody && !req.complete;
}

/**
 * Node ends a `connection: close` exchange with socket.destroySoon(), which resets a connection
 * that still has unread input, and the reset can overtake the answer. Make it Apache's
 * "lingering close": stop sending, discard what still arrives for a moment, then close.
 */
function lingerOnClose(req: IncomingMessage): void {
  const socket = req.socket;
  socket.destroySoon = () => {
    socket.end();
    req.resume();
    const timer = setTimeout(() => socket.destroy(), 2_000);
    socket.once("close", () => clearTimeout(timer));
  };
}

function pathSegments(pathname: string, prefix: string): string[] | undefined {
  const parts = pathname
    .split("/")
    .filter((p) => p !== "")
    .map((p) => decodeURIComponent(p));
  const prefixParts = prefix === "" ? [] : prefix.split("/");
  for (let i = 0; i < prefixParts.length; i++) {
    if (parts[i]?.toLowerCase() !== prefixParts[i].toLowerCase()) return undefined;
  }
  return parts.slice(prefixParts.length);
}

/** The request listener: system routes, then the app's HTTP functions. */
export function createRequestListener(options: HttpHostOptions) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const exchange: Exchange = {};
    logRequest(req, res, exchange);
    handle(options, req, res, exchange).catch((error: unknown) => {
      if (error instanceof PayloadTooLargeError) sendHostError(res, 413, "PayloadTooLarge", error.message);
      else if (clientGone(req, res)) res.destroy();
      else {
        log(
          "error",
          "host",
          `Request ${req.method} ${req.url} failed: ${error instanceof Error ? error.stack : String(error)}`,
        );
        sendHostError(res, 500, "InternalServerError", "The function failed; see the host log.");
      }
    });
  };
}

async function handle(
  options: HttpHostOptions,
  req: IncomingMessage,
  res: ServerResponse,
  exchange: Exchange,
): Promise<void> {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  const system = options.systemRoutes.find((r) => url.pathname.startsWith(r.prefix));
  if (system) return system.handle(req, res, url);
  let segments: string[] | undefined;
  try {
    segments = pathSegments(url.pathname, options.routePrefix);
  } catch {
    return sendHostError(res, 400, "BadRequest", "The request path is not valid percent-encoding.");
  }
  const found = segments
    ? options.routes.match((req.method ?? "GET").toUpperCase(), segments)
    : { kind: "notFound" as const };
  if (found.kind === "notFound") return sendHostError(res, 404, "NotFound", `No function serves ${url.pathname}.`);
  if (found.kind === "methodNotAllowed") {
    res.setHeader("allow", found.allow.join(", "));
    return sendHostError(
      res,
      405,
      "MethodNotAllowed",
      `${req.method} is not allowed here; use ${found.allow.join(", ")}.`,
    );
  }
  if (!authorized(found.fn.authLevel, presentedKey(req, url.searchParams), options.keys)) {
    return sendHostError(
      res,
      401,
      "Unauthorized",
      "A valid function key is required (x-functions-key header or code query parameter).",
    );
  }
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > options.bodyLimit) throw new PayloadTooLargeError(options.bodyLimit);
  const dispatch: Dispatch = {
    fn: found.fn,
    params: found.params,
    url,
    invocationId: randomUUID(),
    bodyLimit: options.bodyLimit,
  };
  exchange.functionName = found.fn.name;
  exchange.invocationId = dispatch.invocationId;
  if (options.workerProxy) await dispatchInProcess(options.invoker, options.workerProxy, req, res, dispatch);
  else if (options.workerUri) await dispatchStreamed(options.invoker, options.workerUri, req, res, dispatch);
  else await dispatchBuffered(options.invoker, req, res, dispatch);
}

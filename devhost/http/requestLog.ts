import type { IncomingMessage, ServerResponse } from "node:http";
import { log } from "../log";

/** What served a request, filled in once a function was chosen. */
export interface Exchange {
  functionName?: string;
  invocationId?: string;
}

/** True when the client went away before its answer was sent: nothing to answer, nobody to tell. */
export function clientGone(req: IncomingMessage, res: ServerResponse): boolean {
  return !res.writableFinished && (res.destroyed || req.socket.destroyed);
}

/**
 * One line per request once it is over: method, path (never the query, which may carry a key),
 * status, the function and duration; or that the client disconnected first, which is no error.
 */
export function logRequest(req: IncomingMessage, res: ServerResponse, exchange: Exchange): void {
  const started = process.hrtime.bigint();
  const path = (req.url ?? "/").split("?")[0];
  const served = () => {
    const ms = (Number(process.hrtime.bigint() - started) / 1e6).toFixed(1);
    const by = exchange.functionName ? `Functions.${exchange.functionName}, Id=${exchange.invocationId}, ` : "";
    return `${by}Duration=${ms}ms`;
  };
  let logged = false;
  res.once("finish", () => {
    logged = true;
    const level = res.statusCode >= 500 ? "warning" : "information";
    log(level, "host", `Request ${req.method} ${path} ${res.statusCode} (${served()})`);
  });
  res.once("close", () => {
    if (logged || res.writableFinished) return;
    log("information", "host", `Request ${req.method} ${path}: client disconnected before the answer (${served()})`);
  });
}

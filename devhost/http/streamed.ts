import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { Invoker } from "../core/invoke";
import { BodyLimit, dropRest, PayloadTooLargeError } from "./bodyLimit";
import { triggerMetadata, type Dispatch } from "./buffered";

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const hopByHop = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "proxy-connection",
  "te",
  "trailer",
]);

/**
 * Apps with HTTP streaming (`app.setup({ enableHttpStream: true })`): the request body is
 * piped to the library's proxy as it arrives and the response is piped back, so neither
 * is held whole in memory — the same path the Functions host uses.
 */
export async function dispatchStreamed(
  invoker: Invoker,
  workerUri: string,
  req: IncomingMessage,
  res: ServerResponse,
  d: Dispatch,
): Promise<void> {
  const invocation = invoker.invoke({
    functionName: d.fn.name,
    invocationId: d.invocationId,
    trigger: { string: "" },
    successLevel: "debug",
    triggerMetadata: triggerMetadata(req, d),
  });
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) if (!hopByHop.has(name)) headers[name] = value;
  headers["x-ms-invocation-id"] = d.invocationId;
  headers["x-forwarded-host"] = req.headers.host ?? d.url.host;
  headers["x-forwarded-proto"] = d.url.protocol.replace(":", "");
  const target = new URL(d.url.pathname + d.url.search, workerUri);
  // The library names its proxy "localhost"; resolving that on every request costs a DNS lookup.
  if (target.hostname === "localhost") target.hostname = "127.0.0.1";
  const proxyReq = http.request(target, { method: req.method, headers, agent });
  let tooLarge: PayloadTooLargeError | undefined;
  const responded = new Promise<void>((resolve, reject) => {
    proxyReq.on("response", (proxyRes) => {
      // The function's answer to a body the host cut off never reaches the client: the host answers 413.
      if (tooLarge) return reject(tooLarge);
      for (const [name, value] of Object.entries(proxyRes.headers)) {
        if (!hopByHop.has(name) && name !== "x-ms-invocation-id" && value !== undefined) res.setHeader(name, value);
      }
      res.statusCode = proxyRes.statusCode ?? 200;
      pipeline(proxyRes, res).then(resolve, reject);
    });
    proxyReq.on("error", reject);
  });
  const limit = new BodyLimit(d.bodyLimit);
  limit.on("error", (e) => {
    if (e instanceof PayloadTooLargeError) tooLarge = e;
  });
  // Iterated, not piped, so a refused body is left unread instead of resetting the connection.
  const forwarding = new AbortController();
  const sent = pipeline(req.iterator({ destroyOnReturn: false }), limit, proxyReq, { signal: forwarding.signal });
  sent.catch(() => undefined);
  const answered = Promise.all([invocation, responded]);
  try {
    // The whole body went through, or the function answered without reading it all.
    await Promise.race([sent, answered]);
    await answered;
  } catch (error) {
    proxyReq.destroy();
    throw tooLarge ?? error;
  } finally {
    // A body the function left unread goes no further (the worker would not read it either),
    // and the client's rest is dropped so its connection serves the next request.
    if (!proxyReq.writableFinished) {
      forwarding.abort();
      proxyReq.destroy();
    }
    dropRest(req);
  }
}

import { once } from "node:events";
import type http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { finished } from "node:stream/promises";
import type { Invoker } from "../core/invoke";
import { BodyLimit, PayloadTooLargeError } from "./bodyLimit";
import { triggerMetadata, type Dispatch } from "./buffered";

const invocationHeader = "x-ms-invocation-id";

/**
 * Feeds the client's body into the limit as it arrives; iterated, not piped, so a refused body
 * is not a reset connection. Once the answer is sent, whatever the function left unread is
 * discarded, so the next request on a kept-alive connection is not stuck behind it.
 */
async function feed(req: IncomingMessage, limit: BodyLimit, answered: AbortSignal): Promise<void> {
  try {
    for await (const chunk of req.iterator({ destroyOnReturn: false })) {
      if (!limit.write(chunk)) await once(limit, "drain", { signal: answered });
    }
    limit.end();
  } catch {
    // The limit failed (too large), the answer came first, or the client went away.
    if (!req.readableEnded) req.resume();
  }
}

/**
 * Streaming apps, in process: the request goes straight to the library's HTTP proxy server
 * (the one it made for streaming), with the headers the Functions host adds, its body
 * through the size limit; the library writes the response to the client itself.
 */
export async function dispatchInProcess(invoker: Invoker, proxy: http.Server, req: IncomingMessage, res: ServerResponse, d: Dispatch): Promise<void> {
  const limit = new BodyLimit(d.bodyLimit);
  let tooLarge: PayloadTooLargeError | undefined;
  limit.on("error", (e) => { if (e instanceof PayloadTooLargeError) tooLarge = e; });
  const headers = { ...req.headers, [invocationHeader]: d.invocationId, "x-forwarded-host": req.headers.host ?? d.url.host, "x-forwarded-proto": d.url.protocol.replace(":", "") };
  const body = Object.assign(limit, { headers, url: req.url, method: req.method });
  const setHeader = res.setHeader.bind(res);
  // The library tags its answer with the invocation id; the Functions host never passes that on.
  res.setHeader = (name: string, value: number | string | readonly string[]) => (name.toLowerCase() === invocationHeader ? res : setHeader(name, value));
  const invocation = invoker.invoke({ functionName: d.fn.name, invocationId: d.invocationId, trigger: { string: "" }, triggerMetadata: triggerMetadata(req, d) });
  const answered = new AbortController();
  void feed(req, limit, answered.signal);
  proxy.emit("request", body, res);
  try {
    await invocation;
    if (!res.writableEnded) await finished(res);
  } catch (error) {
    throw tooLarge ?? error;
  } finally {
    answered.abort();
  }
}

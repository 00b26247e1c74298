import type http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { finished } from "node:stream/promises";
import type { Invoker } from "../core/invoke";
import { dropRest, PayloadTooLargeError } from "./bodyLimit";
import { triggerMetadata, type Dispatch } from "./buffered";
import { responseHold } from "./responseHold";

const invocationHeader = "x-ms-invocation-id";

/**
 * The client's body as the web stream the library's `Request` takes as it is. Given a Node
 * stream, `Request` copies every chunk into a new buffer; given a web stream, it hands the
 * function the socket's own buffers. Pulled, not pushed: a function that stops reading stops the
 * socket. Past `limit` bytes it fails with PayloadTooLargeError and the rest is left unread
 * rather than reset, so the 413 (the host's, whatever the function answers) reaches the client.
 */
function limitedBody(
  req: IncomingMessage,
  limit: number,
  onTooLarge: (error: PayloadTooLargeError) => void,
): { stream: ReadableStream<Uint8Array>; discard(): void } {
  const chunks = req.iterator({ destroyOnReturn: false });
  let seen = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) return controller.close();
        const chunk = next.value as Buffer;
        seen += chunk.length;
        if (seen <= limit) return controller.enqueue(chunk);
        const error = new PayloadTooLargeError(limit);
        onTooLarge(error);
        controller.error(error);
        await chunks.return?.();
      },
      async cancel() {
        await chunks.return?.();
      },
    },
    { highWaterMark: 0 },
  );
  /**
   * Drops what is left unread, so the next request on a kept-alive connection is not stuck
   * behind it, once the iterator has let go of it. Not awaited: a read still pending ends only as
   * the rest arrives.
   */
  const discard = () => {
    void (chunks.return?.() ?? Promise.resolve()).catch(() => undefined).finally(() => dropRest(req));
  };
  return { stream, discard };
}

/**
 * Streaming apps, in process: the request goes straight to the library's HTTP proxy server
 * (the one it made for streaming), with the headers the Functions host adds, its body
 * through the size limit; the library writes the response to the client itself.
 */
export async function dispatchInProcess(
  invoker: Invoker,
  proxy: http.Server,
  req: IncomingMessage,
  res: ServerResponse,
  d: Dispatch,
): Promise<void> {
  let tooLarge: PayloadTooLargeError | undefined;
  const headers = {
    ...req.headers,
    [invocationHeader]: d.invocationId,
    "x-forwarded-host": req.headers.host ?? d.url.host,
    "x-forwarded-proto": d.url.protocol.replace(":", ""),
  };
  const setHeader = res.setHeader.bind(res);
  // The library tags its answer with the invocation id; the Functions host never passes that on.
  res.setHeader = (name: string, value: number | string | readonly string[]) =>
    name.toLowerCase() === invocationHeader ? res : setHeader(name, value);
  const held = responseHold(res);
  // What the library reads of its proxy's request: headers, url, method, and the request itself as the body.
  const limited = limitedBody(req, d.bodyLimit, (e) => {
    tooLarge = e;
    held.hold();
  });
  const body = Object.assign(limited.stream, { headers, url: req.url, method: req.method });
  const invocation = invoker.invoke({
    functionName: d.fn.name,
    invocationId: d.invocationId,
    trigger: { string: "" },
    successLevel: "debug",
    triggerMetadata: triggerMetadata(req, d),
  });
  proxy.emit("request", body, res);
  try {
    await invocation;
    if (tooLarge) throw tooLarge;
    if (!res.writableEnded) await finished(res);
  } catch (error) {
    held.release();
    throw tooLarge ?? error;
  } finally {
    limited.discard();
  }
}

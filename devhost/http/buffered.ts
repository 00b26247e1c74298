import type { IncomingMessage, ServerResponse } from "node:http";
import type { RpcHttpData, RpcInvocationResponse, RpcTypedData } from "../core/contract";
import type { Invoker } from "../core/invoke";
import { readBody } from "./bodyLimit";
import type { HttpFunction } from "./routeTable";

export interface Dispatch {
  fn: HttpFunction;
  params: Record<string, string>;
  url: URL;
  invocationId: string;
  bodyLimit: number;
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

export function triggerMetadata(req: IncomingMessage, d: Dispatch): Record<string, RpcTypedData> {
  const meta: Record<string, RpcTypedData> = {
    Headers: { json: JSON.stringify(headerRecord(req)) },
    Query: { json: JSON.stringify(Object.fromEntries(d.url.searchParams)) },
  };
  for (const [key, value] of Object.entries(d.params)) meta[key] = { string: value };
  return meta;
}

function httpOutput(response: RpcInvocationResponse): RpcHttpData | undefined {
  const fromReturn = response.returnValue?.http;
  if (fromReturn) return fromReturn;
  return response.outputData?.find((o) => o.data.http)?.data.http ?? undefined;
}

function bodyBytes(body: RpcTypedData | null | undefined): Buffer {
  if (!body) return Buffer.alloc(0);
  if (body.bytes) return Buffer.from(body.bytes.buffer, body.bytes.byteOffset, body.bytes.byteLength);
  if (body.string !== undefined && body.string !== null) return Buffer.from(body.string);
  if (body.json !== undefined && body.json !== null) return Buffer.from(body.json);
  return Buffer.alloc(0);
}

/** Apps without HTTP streaming: the body travels inside the invocation request, once. */
export async function dispatchBuffered(
  invoker: Invoker,
  req: IncomingMessage,
  res: ServerResponse,
  d: Dispatch,
): Promise<void> {
  const body = await readBody(req, d.bodyLimit);
  const http: RpcHttpData = {
    method: req.method ?? "GET",
    url: d.url.href,
    headers: headerRecord(req),
    query: Object.fromEntries(d.url.searchParams),
    params: d.params,
    body: { bytes: body },
  };
  const response = await invoker.invoke({
    functionName: d.fn.name,
    invocationId: d.invocationId,
    trigger: { http },
    // The request line, with its status, says how it went.
    successLevel: "debug",
    triggerMetadata: triggerMetadata(req, d),
  });
  const out = httpOutput(response);
  const payload = bodyBytes(out?.body);
  res.statusCode = Number(out?.statusCode ?? (out ? 200 : 204)) || 200;
  for (const [name, value] of Object.entries(out?.headers ?? {})) res.setHeader(name, value);
  res.setHeader("content-length", payload.length);
  res.end(payload);
}

import type { HttpRequest } from "@azure/functions";
import { errors } from "../../shared/domain/errors";

export const maxJsonBodyBytes = 256 * 1024;

/**
 * The request body's chunks. A body that fails part-way is the connection's doing (the client went,
 * or the host cut it off at its limit), not a fault of ours: it becomes RequestAborted, not a 500.
 */
export async function* bodyChunks(request: HttpRequest): AsyncGenerator<Uint8Array> {
  if (!request.body) return;
  try {
    for await (const chunk of request.body) yield chunk as Uint8Array;
  } catch {
    throw errors.requestAborted();
  }
}

/** Reads a bounded body as bytes (JSON bodies are small; disk data never comes this way). */
export async function readSmallBody(request: HttpRequest, limit = maxJsonBodyBytes): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > limit) throw errors.payloadTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of bodyChunks(request)) {
    size += chunk.byteLength;
    if (size > limit) throw errors.payloadTooLarge(limit);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks, size);
}

/** Parses JSON; an empty or broken body is an InvalidJson error. */
export function parseJson(bytes: Buffer, contentType: string | null): unknown {
  if (contentType && !/^application\/(.+\+)?json\b/i.test(contentType))
    throw errors.unsupportedMediaType("application/json");
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    throw errors.invalidJson();
  }
}

export async function readJson(request: HttpRequest): Promise<unknown> {
  return parseJson(await readSmallBody(request), request.headers.get("content-type"));
}

/** A JSON body that may be left out (operations take one or none): none reads as `{}`. */
export async function readOptionalJson(request: HttpRequest): Promise<unknown> {
  const bytes = await readSmallBody(request);
  return bytes.length === 0 ? {} : parseJson(bytes, request.headers.get("content-type"));
}

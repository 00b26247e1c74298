import { errors } from "./errors";
import { fail, ok, type Result } from "./result";

/** A `Range: bytes=...` request before the resource's size is known. */
export type ByteRangeRequest = { readonly start: number; readonly end?: number } | { readonly suffixLength: number };

/** Inclusive byte positions, as HTTP counts them. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

const single = /^bytes=(\d*)-(\d*)$/;

/**
 * Reads a Range header. Anything this server does not serve (other units, several ranges,
 * bad syntax) is ignored and the whole resource is sent, as RFC 9110 allows.
 */
export function parseRangeHeader(header: string | null | undefined): ByteRangeRequest | undefined {
  const match = single.exec((header ?? "").trim());
  if (!match) return undefined;
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return undefined;
  if (first === "") return { suffixLength: Number(last) };
  const start = Number(first);
  if (last === "") return { start };
  const end = Number(last);
  return end < start ? undefined : { start, end };
}

/** The bytes a request selects from a resource of `size` bytes, or 416 when it selects none. */
export function resolveRange(request: ByteRangeRequest, size: number): Result<ByteRange> {
  if ("suffixLength" in request) {
    if (request.suffixLength === 0 || size === 0) return fail(errors.rangeNotSatisfiable(size));
    return ok({ start: Math.max(0, size - request.suffixLength), end: size - 1 });
  }
  if (request.start >= size) return fail(errors.rangeNotSatisfiable(size));
  return ok({ start: request.start, end: Math.min(request.end ?? size - 1, size - 1) });
}

import type { FerryError } from "./errors";

/** The outcome of a domain decision: a value, or the error a caller should see. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: FerryError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: FerryError): Result<T> {
  return { ok: false, error };
}

/** Unwraps a result for callers that let errors propagate (handlers throw; one place answers). */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

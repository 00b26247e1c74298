/** A span around a use case: the work runs inside it, a failure marks it with Ferry's error code. */
import { SpanStatusCode, type Attributes, type Span } from "@opentelemetry/api";
import { isFerryError } from "../domain/errors";
import { instruments } from "./instruments";
import { attributeNames } from "./names";

/** The stable code of a failure: a FerryError's own, "Internal" for anything else. */
export const errorCodeOf = (error: unknown): string => (isFerryError(error) ? error.code : "Internal");

/** Runs `work` in a new active span named `name`; its children (storage calls, inner use cases) nest under it. */
export function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  return instruments().tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setAttribute(attributeNames.errorCode, errorCodeOf(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

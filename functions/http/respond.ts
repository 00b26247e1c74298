import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { errorBody, errors, isFerryError } from "../../shared/domain/errors";

export type HttpHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers: { "cache-control": "no-store", ...headers } };
}

/** The one place errors become responses: FerryErrors keep their code; anything else is a 500 with no details. */
export function withErrors(handler: HttpHandler): HttpHandler {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (isFerryError(error)) {
        const retryAfter = error.details?.retryAfterSeconds;
        return json(
          error.httpStatus,
          errorBody(error),
          retryAfter === undefined ? {} : { "retry-after": String(retryAfter) },
        );
      }
      context.error(
        `Unhandled error in ${context.functionName}: ${error instanceof Error ? error.stack : String(error)}`,
      );
      return json(500, errorBody(errors.internal()));
    }
  };
}

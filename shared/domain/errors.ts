/**
 * The one error catalog. Every error that reaches a caller is a `FerryError` made by one
 * factory below: a stable wire `code`, the HTTP status, a message safe to show (never a
 * secret), an optional `target` (the field or resource at fault) and optional details.
 */
export class FerryError extends Error {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
    message: string,
    readonly target?: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = "FerryError";
  }
}

export const errors = {
  invalidInput: (message: string, target?: string) => new FerryError("InvalidInput", 400, message, target),
  invalidJson: () => new FerryError("InvalidJson", 400, "The request body is not valid JSON."),
  unauthorized: (message = "A valid operator key is required: send 'Authorization: Bearer <key>'.") =>
    new FerryError("Unauthorized", 401, message),
  invalidSignature: (message: string) => new FerryError("InvalidSignature", 401, message),
  forbidden: (message: string) => new FerryError("Forbidden", 403, message),
  notFound: (kind: string, id: string) => new FerryError("NotFound", 404, `${kind} '${id}' was not found.`, kind),
  routeNotFound: (path: string) => new FerryError("NotFound", 404, `Nothing is served at ${path}.`),
  conflict: (message: string, target?: string) => new FerryError("Conflict", 409, message, target),
  alreadyExists: (kind: string, id: string) => new FerryError("AlreadyExists", 409, `${kind} '${id}' already exists.`, kind),
  operationNotAllowed: (operation: string, reason: string) =>
    new FerryError("OperationNotAllowed", 409, `${operation} is not allowed now: ${reason}`, operation),
  operationInProgress: (jobId: string, operation: string) =>
    new FerryError("OperationInProgress", 409, `Another operation (${operation}, job ${jobId}) is in progress on this item.`, "job", { jobId }),
  preconditionFailed: (message: string) => new FerryError("PreconditionFailed", 412, message),
  payloadTooLarge: (limit: number) => new FerryError("PayloadTooLarge", 413, `The request body exceeds ${limit} bytes.`),
  unsupportedMediaType: (expected: string) => new FerryError("UnsupportedMediaType", 415, `Send the body as ${expected}.`),
  rangeNotSatisfiable: (size: number) => new FerryError("RangeNotSatisfiable", 416, `The range is outside the resource (${size} bytes).`),
  tooManyRequests: (retryAfterSeconds: number) =>
    new FerryError("TooManyRequests", 429, `Too many requests; retry after ${retryAfterSeconds} s.`, undefined, { retryAfterSeconds }),
  storageUnavailable: (message: string) => new FerryError("StorageUnavailable", 503, message),
  internal: () => new FerryError("InternalError", 500, "An unexpected error occurred; see the host log."),
} as const;

export function isFerryError(error: unknown): error is FerryError {
  return error instanceof FerryError;
}

/** The wire shape of an error body. */
export function errorBody(error: FerryError): { error: { code: string; message: string; target?: string } & Record<string, unknown> } {
  return { error: { code: error.code, message: error.message, ...(error.target ? { target: error.target } : {}), ...(error.details ?? {}) } };
}

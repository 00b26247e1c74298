/** An error the durable HTTP API answers with its own status code. */
export class DurableHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const durableErrors = {
  badRequest: (message: string) => new DurableHttpError(400, "BadRequest", message),
  notFound: (instanceId: string) =>
    new DurableHttpError(404, "InstanceNotFound", `No instance with ID '${instanceId}' found.`),
  routeNotFound: (path: string) => new DurableHttpError(404, "NotFound", `The durable task API has no route ${path}.`),
  conflict: (message: string) => new DurableHttpError(409, "Conflict", message),
  gone: (instanceId: string, status: string) =>
    new DurableHttpError(410, "InstanceCompleted", `Instance '${instanceId}' is ${status}; it takes no more messages.`),
  notImplemented: (what: string) =>
    new DurableHttpError(
      501,
      "NotImplemented",
      `${what} is not supported by this local host (durable entities and rewind are not available).`,
    ),
};

// How the security suites read a refusal: the status and the error code, side by side.
import type { ApiError, ApiReply } from "./ferryApi";

/** [status, code] of a reply; the code is undefined when the body is not an API error. */
export function refusal(reply: ApiReply<unknown>): [number, string | undefined] {
  const body = reply.body as Partial<ApiError> | undefined;
  return [reply.status, body?.error?.code];
}

/** Flips the last character of a credential's secret part: the same shape, the wrong secret. */
export function wrongSecret(credential: string): string {
  return credential.slice(0, -1) + (credential.endsWith("A") ? "B" : "A");
}

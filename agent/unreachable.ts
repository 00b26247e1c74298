/**
 * Why the agent could not reach the server, in words an operator can act on: `fetch failed`
 * names nothing, its `cause.code` (or a node:http error's own `code`) says what went wrong.
 */

/** A request that got no HTTP answer at all; the message names the URL and the likely cause. */
export class ServerUnreachableError extends Error {
  constructor(
    readonly url: URL,
    readonly reason: unknown,
    timeoutMs?: number,
  ) {
    super(describeUnreachable(url, reason, timeoutMs));
    this.name = "ServerUnreachableError";
  }
}

const tlsCodes = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

const timeoutCodes = new Set(["ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "TimeoutError"]);

/** The error's code: its own, its cause's (fetch), or a timeout abort's name. */
export function networkErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Object && depth < 4; depth += 1) {
    const { code, name } = current as { code?: unknown; name?: unknown };
    if (typeof code === "string") return code;
    if (name === "TimeoutError") return name;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function causeText(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

function waited(timeoutMs: number | undefined): string {
  if (timeoutMs === undefined) return "";
  return timeoutMs < 1000 ? ` within ${timeoutMs} ms` : ` within ${timeoutMs / 1000} s`;
}

/** What happened and what to check, for the codes whose cause is clear. */
function likelyCause(code: string, url: URL, error: unknown, timeoutMs?: number): string | undefined {
  if (code === "ECONNREFUSED")
    return `the connection was refused (${code}). Is Ferry running at ${url.origin}, on that port?`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_FAIL")
    return `the name ${url.hostname} could not be resolved (${code}). Check the address and this machine's DNS.`;
  if (code.startsWith("ERR_SSL_"))
    return `the TLS handshake failed (${code}). Does the server speak the scheme given (http:// or https://)?`;
  if (tlsCodes.has(code) || code.startsWith("ERR_TLS_"))
    return (
      `the TLS handshake failed (${code}: ${causeText(error)}). This machine does not trust the server's ` +
      "certificate, or it names another host: use the address it names, or add its CA (NODE_EXTRA_CA_CERTS=FILE)."
    );
  if (timeoutCodes.has(code))
    return `no answer${waited(timeoutMs)} (${code}). A firewall may drop the traffic, or the server is overloaded.`;
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH")
    return `no route to ${url.hostname} (${code}). Check the network between this machine and Ferry.`;
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET")
    return `the connection was closed before an answer (${code}). A proxy or firewall in between may cut it.`;
  return undefined;
}

/** One sentence: which URL, what happened, what to check. */
export function describeUnreachable(url: URL, error: unknown, timeoutMs?: number): string {
  const code = networkErrorCode(error);
  const cause = code === undefined ? undefined : likelyCause(code, url, error, timeoutMs);
  return `Cannot reach Ferry at ${url.href}: ${cause ?? `${causeText(error)}${code ? ` (${code})` : ""}.`}`;
}

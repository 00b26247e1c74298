/** One entry of an error's `details`, as the API sends it. */
export interface ApiErrorDetail {
  code: string;
  message: string;
  target?: string;
}

/** An item a plan operation's refusal names: why it blocks, the job holding it, or its final-sync estimate. */
export interface BlockingItem {
  itemId: string;
  name: string;
  reason?: string;
  jobId?: string;
  estimatedFinalSyncSeconds?: number | null;
}

/** The API refused a request: its status and the `{ error }` body's code, message and target. */
export class FerryApiError extends Error {
  override readonly name = "FerryApiError";
  readonly status: number;
  readonly code: string;
  readonly target?: string;
  readonly details?: ApiErrorDetail[];
  /** The job that holds the item, on 409 OperationInProgress. */
  readonly jobId?: string;
  /** The items that keep a recovery plan's operation from starting (OperationNotAllowed, DowntimeBudgetExceeded). */
  readonly items?: BlockingItem[];

  constructor(init: {
    status: number;
    code: string;
    message: string;
    target?: string;
    details?: ApiErrorDetail[];
    jobId?: string;
    items?: BlockingItem[];
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.target = init.target;
    this.details = init.details;
    this.jobId = init.jobId;
    this.items = init.items;
  }
}

/** No answer at all: the server is down, the address is wrong, or something between refuses. */
export class FerryUnreachableError extends Error {
  override readonly name = "FerryUnreachableError";

  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`Cannot reach ${url}: ${reason}.`);
  }
}

export function isFerryApiError(error: unknown, code?: string): error is FerryApiError {
  return error instanceof FerryApiError && (code === undefined || error.code === code);
}

type ErrorBody = {
  error?: { code?: unknown; message?: unknown; target?: unknown; details?: unknown; jobId?: unknown; items?: unknown };
};

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** Reads an error answer; a body that is not the API's `{ error }` (a proxy's page) still gives a code. */
export function apiErrorFrom(status: number, statusText: string, bodyText: string): FerryApiError {
  let body: ErrorBody = {};
  try {
    body = JSON.parse(bodyText) as ErrorBody;
  } catch {
    // Not JSON: fall back on the status below.
  }
  const error = body?.error ?? {};
  return new FerryApiError({
    status,
    code: text(error.code) ?? fallbackCode(status),
    message: text(error.message) ?? (bodyText.trim().slice(0, 200) || `${status} ${statusText}`.trim()),
    target: text(error.target),
    details: Array.isArray(error.details) ? (error.details as ApiErrorDetail[]) : undefined,
    jobId: text(error.jobId),
    items: Array.isArray(error.items) ? (error.items as BlockingItem[]) : undefined,
  });
}

function fallbackCode(status: number): string {
  const known: Record<number, string> = { 400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound" };
  return known[status] ?? `Http${status}`;
}

/** What fetch's "fetch failed" hides: ECONNREFUSED, ENOTFOUND, a certificate problem. */
export function unreachableReason(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = text(cause?.code);
  if (code === "ECONNREFUSED") return "connection refused (is the server running, and on that port?)";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "the host name does not resolve";
  if (code === "ECONNRESET") return "the connection was reset";
  if (code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT") return "the connection timed out";
  return text(cause?.message) ?? (error instanceof Error ? error.message : String(error));
}

import { FerryApiError, type CallArgs, type ClientRoute, type FerryClient, type ResponseOf } from "../../client";
import { routeUrl } from "../../shared/api/routes/route";

/** An item a refusal names: why it blocks, the job holding it, or its final-sync estimate. */
export interface NamedItem {
  itemId: string;
  name: string;
  reason?: string;
  jobId?: string;
  estimatedFinalSyncSeconds?: number | null;
}

/** A plan operation's refusal, with the items the API listed in it. */
export class PlanRefusal extends FerryApiError {
  constructor(
    init: ConstructorParameters<typeof FerryApiError>[0],
    readonly items: NamedItem[],
  ) {
    super(init);
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; target?: unknown; items?: unknown; jobId?: unknown };
}

const text = (value: unknown) => (typeof value === "string" ? value : undefined);

function refusal(status: number, bodyText: string): PlanRefusal {
  let body: ErrorBody = {};
  try {
    body = JSON.parse(bodyText) as ErrorBody;
  } catch {
    // Not the API's JSON (a proxy's page): the status speaks for it.
  }
  const error = body.error ?? {};
  const items = Array.isArray(error.items) ? (error.items as NamedItem[]) : [];
  return new PlanRefusal(
    {
      status,
      code: text(error.code) ?? `Http${status}`,
      message: text(error.message) ?? (bodyText.trim().slice(0, 200) || `HTTP ${status}`),
      target: text(error.target),
      jobId: text(error.jobId),
    },
    items,
  );
}

/**
 * Calls a route as the typed client would, but keeps the blocking items of a refusal: the API
 * sends them as `error.items`, which the client's error does not carry.
 */
export async function callKeepingItems<R extends ClientRoute>(
  client: FerryClient,
  route: R,
  args: CallArgs<R>,
): Promise<ResponseOf<R>> {
  const { params = {}, body } = args as CallArgs<ClientRoute>;
  const apiPath = routeUrl(route, params as Record<string, string>).replace(/^\/api/, "");
  const response = await client.raw(route.method.toUpperCase(), apiPath, {
    body: body === undefined ? "{}" : JSON.stringify(body),
    headers: { "content-type": "application/json" },
    signal: args.signal,
  });
  const answer = await response.text();
  if (!response.ok) throw refusal(response.status, answer);
  return (answer === "" ? undefined : JSON.parse(answer)) as ResponseOf<R>;
}

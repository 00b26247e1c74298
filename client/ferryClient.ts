import { routeUrl } from "../shared/api/routes/route";
import { apiErrorFrom, FerryUnreachableError, unreachableReason } from "./errors";
import { ProjectClient } from "./projectClient";
import type { CallArgs, CallRest, ClientRoute, ItemOf, ListPage, ListRoute, ResponseOf } from "./routeTypes";
import { serverRoot } from "./serverUrl";

/** An operator key, or a function that gives a bearer token (an Entra ID token provider). */
export type Credential = string | (() => Promise<string>);

export interface FerryClientOptions {
  /** The host root (`http://host:7071`) or the API base (`http://host:7071/api`). */
  server: string;
  credential?: Credential;
  /** Another fetch (tests, a browser's with its own defaults). */
  fetch?: typeof fetch;
}

/** A request outside the route table, sent as given: the escape hatch for deliberately odd requests. */
export interface RawRequest {
  body?: string | Uint8Array;
  headers?: Record<string, string>;
  /** false: no Authorization header at all (the caller may still send its own in `headers`). */
  authorize?: boolean;
  signal?: AbortSignal;
}

/**
 * The operator API, typed from the route table (shared/api/routes): each call names its route, and
 * its path parameters, body, query and answer have the types the route's schemas give. A refusal
 * throws FerryApiError with the API's code; no answer at all throws FerryUnreachableError.
 */
export class FerryClient {
  /** The host root, without /api. */
  readonly root: string;
  private readonly credential?: Credential;
  private readonly fetchImpl: typeof fetch;

  constructor(options: FerryClientOptions) {
    this.root = serverRoot(options.server);
    this.credential = options.credential;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Bound to one project: calls need no projectId and jobs can be waited for. */
  project(projectId: string): ProjectClient {
    return new ProjectClient(this, projectId);
  }

  /** A path under /api as a full URL. */
  url(apiPath: string): string {
    return `${this.root}/api${apiPath}`;
  }

  /** Calls a route and returns its JSON answer (undefined for an empty one). */
  async call<R extends ClientRoute>(route: R, ...[args]: CallRest<R>): Promise<ResponseOf<R>> {
    const response = await this.send(route, args);
    const text = await response.text();
    return (text === "" ? undefined : JSON.parse(text)) as ResponseOf<R>;
  }

  /** Calls a route and returns the response itself, once it is known to be a success (binary routes). */
  async send<R extends ClientRoute>(
    route: R,
    args?: CallArgs<R>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const { body, signal } = (args ?? {}) as CallArgs<ClientRoute>;
    return this.checked(this.routeUrl(route, args), {
      method: route.method.toUpperCase(),
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  }

  /** Each page of a list, following `nextLink` (absolute, or relative to the page it is on) to the end. */
  async *pages<R extends ListRoute>(route: R, ...[args]: CallRest<R>): AsyncGenerator<ItemOf<R>[]> {
    let url = this.routeUrl(route, args);
    for (;;) {
      const response = await this.checked(url, { method: "GET", signal: args?.signal });
      const page = (await response.json()) as ListPage<ItemOf<R>>;
      yield page.value;
      if (!page.nextLink) return;
      url = new URL(page.nextLink, url).toString();
    }
  }

  /** Every item of a list, page after page. */
  async *list<R extends ListRoute>(route: R, ...args: CallRest<R>): AsyncGenerator<ItemOf<R>> {
    for await (const page of this.pages(route, ...args)) yield* page;
  }

  /** Every item of a list, all pages read. */
  async listAll<R extends ListRoute>(route: R, ...args: CallRest<R>): Promise<ItemOf<R>[]> {
    const items: ItemOf<R>[] = [];
    for await (const page of this.pages(route, ...args)) items.push(...page);
    return items;
  }

  /** Sends a request under /api as given and returns whatever came back, success or not. */
  async raw(method: string, apiPath: string, request: RawRequest = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    if (request.authorize !== false) Object.assign(headers, await this.authorization());
    Object.assign(headers, request.headers);
    // Any Uint8Array is a body fetch takes; the DOM's types ask for one over an ArrayBuffer exactly.
    const body = request.body as RequestInit["body"];
    return this.fetchOrExplain(this.url(apiPath), { method, headers, body, signal: request.signal });
  }

  private routeUrl(route: ClientRoute, args: CallArgs<ClientRoute> | undefined): string {
    const { params = {}, query } = args ?? {};
    const url = `${this.root}${routeUrl(route, params as Record<string, string>)}`;
    const search = queryString(query as Record<string, unknown> | undefined);
    return search ? `${url}?${search}` : url;
  }

  private async checked(url: string, init: RequestInit): Promise<Response> {
    const headers = { ...(await this.authorization()), ...(init.headers as Record<string, string>) };
    const response = await this.fetchOrExplain(url, { ...init, headers });
    if (response.ok) return response;
    throw apiErrorFrom(response.status, response.statusText, await response.text());
  }

  private async fetchOrExplain(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchImpl(url, init);
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new FerryUnreachableError(url, unreachableReason(error));
    }
  }

  private async authorization(): Promise<Record<string, string>> {
    if (this.credential === undefined) return {};
    const token = typeof this.credential === "string" ? this.credential : await this.credential();
    return { authorization: `Bearer ${token}` };
  }
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return "";
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
  return search.toString();
}

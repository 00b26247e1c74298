// A stand-in for Azure Resource Manager at the HTTP boundary: the real ARM SDK clients talk to
// it over HTTPS (their bearer policy refuses plain HTTP). It records each request, keeps the
// resources PUT to it, and answers as ARM does: 201/200 with provisioningState "Succeeded",
// 404 ResourceNotFound, DELETE 200 (or 204 when absent), and Azure-AsyncOperation polling
// for the paths you mark asynchronous.
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { generate } from "selfsigned";

export interface ArmRequest {
  method: string;
  /** Path and query as sent, e.g. ".../disks/web01-disk0?api-version=2024-03-02". */
  url: string;
  path: string;
  apiVersion: string | null;
  authorization?: string;
  body?: Record<string, unknown>;
}

export interface FakeArm {
  endpoint: string;
  caPem: string;
  requests: ArmRequest[];
  /** The next request matching method and path pattern fails with `status` (ARM error body). */
  failNext(method: string, pattern: RegExp, status: number): void;
  has(path: string): boolean;
  stop(): Promise<void>;
}

export interface FakeArmOptions {
  /** PUTs to matching paths answer 201 "Creating" with Azure-AsyncOperation, succeeding on the first poll. */
  asyncPuts?: RegExp;
}

type Json = Record<string, unknown>;

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Json | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? undefined : (JSON.parse(Buffer.concat(chunks).toString()) as Json);
}

/** What ARM stores for a PUT: the body, its id and name, and a finished provisioning state. */
function stored(path: string, body: Json | undefined, state: string): Json {
  const properties: Json = { ...(body?.properties as Json | undefined), provisioningState: state };
  if (/\/networkInterfaces\//i.test(path)) {
    const configs = (properties.ipConfigurations as Json[] | undefined) ?? [];
    properties.ipConfigurations = configs.map((c) => ({
      ...c,
      properties: { ...(c.properties as Json), privateIPAddress: "10.1.0.4" },
    }));
  }
  return { ...body, id: path, name: path.slice(path.lastIndexOf("/") + 1), properties };
}

interface ArmState {
  endpoint: string;
  resources: Map<string, Json>;
  requests: ArmRequest[];
  failures: { method: string; pattern: RegExp; status: number }[];
}

async function handle(
  state: ArmState,
  options: FakeArmOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? "/", state.endpoint);
  const body = await readJson(req);
  const method = req.method ?? "GET";
  state.requests.push({
    method,
    url: url.pathname + url.search,
    path: url.pathname,
    apiVersion: url.searchParams.get("api-version"),
    authorization: req.headers.authorization,
    body,
  });
  const key = url.pathname.toLowerCase();
  const failure = state.failures.findIndex((f) => f.method === method && f.pattern.test(url.pathname));
  if (failure >= 0) {
    const [{ status }] = state.failures.splice(failure, 1);
    return send(res, status, { error: { code: "InjectedFailure", message: `Injected ${status}.` } });
  }
  if (key.startsWith("/operations/")) return send(res, 200, { status: "Succeeded" });
  if (method === "PUT") {
    const existed = state.resources.has(key);
    state.resources.set(key, stored(url.pathname, body, "Succeeded"));
    if (!(options.asyncPuts?.test(url.pathname) ?? false))
      return send(res, existed ? 200 : 201, state.resources.get(key));
    const operation = `${state.endpoint}/operations/${state.requests.length}?api-version=${url.searchParams.get("api-version")}`;
    return send(res, 201, stored(url.pathname, body, "Creating"), { "azure-asyncoperation": operation });
  }
  if (method === "GET") {
    const found = state.resources.get(key);
    return found
      ? send(res, 200, found)
      : send(res, 404, { error: { code: "ResourceNotFound", message: `${url.pathname} was not found.` } });
  }
  if (method === "DELETE") return send(res, state.resources.delete(key) ? 200 : 204);
  send(res, 405, { error: { code: "MethodNotAllowed", message: method } });
}

export async function startFakeArm(options: FakeArmOptions = {}): Promise<FakeArm> {
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    curve: "P-256",
    extensions: [
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  const state: ArmState = { endpoint: "", resources: new Map(), requests: [], failures: [] };
  const server = https.createServer({ key: pems.private, cert: pems.cert });
  server.on("request", (req, res) => {
    handle(state, options, req, res).catch((error: unknown) =>
      send(res, 500, { error: { code: "FakeArmError", message: String(error) } }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.endpoint = `https://localhost:${(server.address() as AddressInfo).port}`;
  return {
    endpoint: state.endpoint,
    caPem: pems.cert,
    requests: state.requests,
    failNext: (method, pattern, status) => {
      state.failures.push({ method, pattern, status });
    },
    has: (path) => state.resources.has(path.toLowerCase()),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// A stand-in for Azure Resource Manager at the HTTP boundary: the real ARM SDK clients talk to
// it over HTTPS (their bearer policy refuses plain HTTP). It records each request, keeps the
// resources PUT to it (enforcing what fakeArmRules holds between them), and answers as ARM does:
// 201/200 with provisioningState "Succeeded", 404 ResourceNotFound, DELETE 200 (or 204 when absent),
// Azure-AsyncOperation polling for the paths you mark asynchronous, 429 with Retry-After when
// told to throttle, resource listing per group, and the caller's permissions per group as granted.
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { generate } from "selfsigned";
import type { ArmPermission } from "../../shared/domain/armActions";
import { attach, listGroup, refuseDelete, refusePut, type ArmRefusal, type Resources } from "./fakeArmRules";

export interface ArmRequest {
  method: string;
  /** Path and query as sent, e.g. ".../disks/web01-disk0?api-version=2024-03-02". */
  url: string;
  path: string;
  apiVersion: string | null;
  authorization?: string;
  body?: Record<string, unknown>;
  /** When it arrived (ms since the epoch). */
  at: number;
}

export interface FakeArm {
  endpoint: string;
  caPem: string;
  requests: ArmRequest[];
  /** The next request matching method and path pattern fails with `status` (ARM error body). */
  failNext(method: string, pattern: RegExp, status: number): void;
  /** The next request matching is answered 429 TooManyRequests with `Retry-After: seconds`. */
  throttleNext(method: string, pattern: RegExp, retryAfterSeconds: number): void;
  /** Puts a resource in place as if someone else had made it (a virtual network's subnets too). */
  seed(path: string, body: Record<string, unknown>): void;
  /** Adds a role's permissions to what the caller holds in resource group `name`. */
  grant(resourceGroup: string, permission: ArmPermission): void;
  get(path: string): Record<string, unknown> | undefined;
  has(path: string): boolean;
  stop(): Promise<void>;
}

export interface FakeArmOptions {
  /** PUTs to matching paths answer 201 "Creating" with Azure-AsyncOperation, succeeding on the first poll. */
  asyncPuts?: RegExp;
}

type Json = Record<string, unknown>;

interface Interruption {
  method: string;
  pattern: RegExp;
  status: number;
  retryAfterSeconds?: number;
}

interface ArmState {
  endpoint: string;
  resources: Resources;
  requests: ArmRequest[];
  interruptions: Interruption[];
  grants: Map<string, ArmPermission[]>;
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

const refuse = (res: ServerResponse, refusal: ArmRefusal, headers?: Record<string, string>) =>
  send(res, refusal.status, { error: { code: refusal.code, message: refusal.message } }, headers);

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

function seed(state: ArmState, path: string, body: Json): void {
  state.resources.set(path.toLowerCase(), stored(path, body, "Succeeded"));
  for (const subnet of ((body.properties as Json | undefined)?.subnets as Json[] | undefined) ?? [])
    seed(state, `${path}/subnets/${String(subnet.name)}`, subnet);
}

function interruption(state: ArmState, method: string, path: string): Interruption | undefined {
  const at = state.interruptions.findIndex((i) => i.method === method && i.pattern.test(path));
  return at < 0 ? undefined : state.interruptions.splice(at, 1)[0];
}

function put(state: ArmState, options: FakeArmOptions, url: URL, body: Json | undefined, res: ServerResponse) {
  const key = url.pathname.toLowerCase();
  const refusal = refusePut(state.resources, url.pathname, body);
  if (refusal) return refuse(res, refusal);
  const existed = state.resources.has(key);
  const resource = stored(url.pathname, body, "Succeeded");
  state.resources.set(key, resource);
  if (/\/virtualMachines\/[^/]+$/i.test(url.pathname)) attach(state.resources, resource, true);
  if (!(options.asyncPuts?.test(url.pathname) ?? false)) return send(res, existed ? 200 : 201, resource);
  const operation = `${state.endpoint}/operations/${state.requests.length}?api-version=${url.searchParams.get("api-version")}`;
  send(res, 201, stored(url.pathname, body, "Creating"), { "azure-asyncoperation": operation });
}

function get(state: ArmState, url: URL, res: ServerResponse) {
  const group =
    /^(\/subscriptions\/[^/]+\/resourceGroups\/([^/]+))\/(resources|providers\/Microsoft\.Authorization\/permissions)$/i.exec(
      url.pathname,
    );
  if (group?.[3] === "resources")
    return send(res, 200, { value: listGroup(state.resources, group[1], url.searchParams.get("$filter")) });
  if (group) return send(res, 200, { value: state.grants.get(group[2].toLowerCase()) ?? [] });
  const found = state.resources.get(url.pathname.toLowerCase());
  if (found) return send(res, 200, found);
  send(res, 404, { error: { code: "ResourceNotFound", message: `${url.pathname} was not found.` } });
}

function remove(state: ArmState, url: URL, res: ServerResponse) {
  const key = url.pathname.toLowerCase();
  const resource = state.resources.get(key);
  const refusal = refuseDelete(resource, url.pathname);
  if (refusal) return refuse(res, refusal);
  if (resource === undefined) return send(res, 204);
  if (/\/virtualMachines\/[^/]+$/i.test(url.pathname)) attach(state.resources, resource, false);
  state.resources.delete(key);
  send(res, 200);
}

async function handle(state: ArmState, options: FakeArmOptions, req: IncomingMessage, res: ServerResponse) {
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
    at: Date.now(),
  });
  const interrupted = interruption(state, method, url.pathname);
  if (interrupted?.retryAfterSeconds !== undefined) {
    const message = "The request is being throttled.";
    return refuse(
      res,
      { status: 429, code: "TooManyRequests", message },
      {
        "retry-after": String(interrupted.retryAfterSeconds),
      },
    );
  }
  if (interrupted) return refuse(res, { status: interrupted.status, code: "InjectedFailure", message: "Injected." });
  if (url.pathname.toLowerCase().startsWith("/operations/")) return send(res, 200, { status: "Succeeded" });
  if (method === "PUT") return put(state, options, url, body, res);
  if (method === "GET") return get(state, url, res);
  if (method === "DELETE") return remove(state, url, res);
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
  const state: ArmState = { endpoint: "", resources: new Map(), requests: [], interruptions: [], grants: new Map() };
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
    failNext: (method, pattern, status) => void state.interruptions.push({ method, pattern, status }),
    throttleNext: (method, pattern, retryAfterSeconds) =>
      void state.interruptions.push({ method, pattern, status: 429, retryAfterSeconds }),
    seed: (path, body) => seed(state, path, body),
    grant: (resourceGroup, permission) => {
      const key = resourceGroup.toLowerCase();
      state.grants.set(key, [...(state.grants.get(key) ?? []), permission]);
    },
    get: (path) => state.resources.get(path.toLowerCase()),
    has: (path) => state.resources.has(path.toLowerCase()),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Resources - List By Resource Group, asked over HTTPS as any client would: `[{ id, name, type }]`. */
export function listGroupResources(
  arm: FakeArm,
  groupId: string,
): Promise<{ id: string; name: string; type: string }[]> {
  const url = `${arm.endpoint}${groupId}/resources?api-version=2021-04-01`;
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: arm.caPem, headers: { authorization: "Bearer test-reader" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve((JSON.parse(Buffer.concat(chunks).toString()) as { value: [] }).value));
      })
      .on("error", reject);
  });
}

// Helpers for the control-plane suites: the real Ferry app in a host child process, driven
// over HTTP as an operator (and as an agent) would drive it.
import { randomBytes } from "node:crypto";
import { FerryClient, routes } from "../../client";
import type { MachineFacts } from "../../shared/controlPlane/agents";
import { signRequest, signRequestDigest, type AgentCredentials } from "../../agent/signedClient";
import { sha256Hex } from "../../shared/security/tokens";
import { eventually } from "./eventually";
import { repoRoot, startHostProcess, uniqueHubName, type HostProcess } from "./hostProcess";

export interface ApiError {
  error: {
    code: string;
    message: string;
    target?: string;
    jobId?: string;
    details?: { code: string; message: string; target?: string }[];
  };
}

export interface ApiReply<T> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is instead of JSON-encoding `body`. */
  rawBody?: Buffer | string;
  headers?: Record<string, string>;
  /** The Authorization header: the operator key when undefined, none when null. */
  authorization?: string | null;
}

/**
 * An operator's view of the API under /api; remembers every error body it received. `client` is the
 * typed client; `request` sends what a test says as it says it (odd bodies, headers, no key) through it.
 */
export class FerryApi {
  readonly errorTexts: string[] = [];
  readonly client: FerryClient;

  constructor(
    readonly origin: string,
    readonly operatorKey: string,
  ) {
    this.client = new FerryClient({ server: origin, credential: operatorKey });
  }

  url(path: string): URL {
    return new URL(`/api${path}`, this.origin);
  }

  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<ApiReply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (typeof options.authorization === "string") headers.authorization = options.authorization;
    let body: Buffer | string | undefined = options.rawBody;
    if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers["content-type"] ??= "application/json";
    const authorize = options.authorization === undefined;
    const response = await this.client.raw(method, path, { headers, body, authorize });
    const text = await response.text();
    if (response.status >= 400) this.errorTexts.push(text);
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : undefined) as T,
      text,
    };
  }

  get<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>("GET", path, options);
  }

  post<T = unknown>(path: string, body?: unknown, options: RequestOptions = {}) {
    return this.request<T>("POST", path, { ...options, body });
  }

  patch<T = unknown>(path: string, body: unknown, options: RequestOptions = {}) {
    return this.request<T>("PATCH", path, { ...options, body });
  }

  /** The body of a reply that must have `status`; otherwise fails with what came back. */
  async expect<T>(reply: Promise<ApiReply<unknown>>, status: number): Promise<T> {
    const got = await reply;
    if (got.status !== status) throw new Error(`Expected ${status}, got ${got.status}: ${got.text}`);
    return got.body as T;
  }
}

export interface RunningFerry {
  host: HostProcess;
  api: FerryApi;
  stop(): Promise<void>;
}

export interface FerryOptions {
  /** Extra settings for the host (e.g. FERRY_FINAL_SYNC_TIMEOUT_SECONDS). */
  env?: Record<string, string>;
  /** Reuse a task hub and operator key, to restart Ferry on the same storage after a crash. */
  hubName?: string;
  operatorKey?: string;
  /** Listen here (0 or undefined: any free port), so agents registered with the old URL reach the new host. */
  port?: number;
}

/** The Ferry app (this repository's dist/) in its own host process, with its own operator key and hub. */
export async function startFerry(storage: string, options: FerryOptions = {}): Promise<RunningFerry> {
  const operatorKey = options.operatorKey ?? randomBytes(24).toString("base64url");
  const env = { ...options.env, FERRY_OPERATOR_KEY: operatorKey, FERRY_HUB_NAME: options.hubName ?? uniqueHubName() };
  const host = await startHostProcess({ appDir: repoRoot, storage, env, port: options.port });
  return { host, api: new FerryApi(host.origin, operatorKey), stop: () => host.kill() };
}

/** Signature headers as the agent makes them; `tweak` changes the signed parts (for forging tests). */
export function signedHeaders(
  credentials: AgentCredentials,
  method: string,
  url: URL,
  body: Buffer,
  tweak?: { timestamp?: string; nonce?: string },
): Record<string, string> {
  return tweak
    ? signRequestDigest(credentials, method, url, sha256Hex(body), tweak)
    : signRequest(credentials, method, url, body);
}

/** The part of a `<prefix>_<id>.<secret>` credential that proves it. */
export function secretPart(credential: string): string {
  return credential.slice(credential.lastIndexOf(".") + 1);
}

export interface ProjectSetUp {
  projectId: string;
  applianceId: string;
  registrationKey: string;
  passphrase: string;
}

/** A project with a registered, finalized appliance: ready for agents. */
export async function setUpProject(
  api: FerryApi,
  name = `prj-${randomBytes(3).toString("hex")}`,
): Promise<ProjectSetUp> {
  const project = await api.client.call(routes.createProject, {
    body: { name, geography: "Europe", targetRegion: "westeurope" },
  });
  const { key } = await api.client.project(project.id).call(routes.createRegistrationKey);
  const open = new FerryClient({ server: api.origin });
  const appliance = await open.call(routes.registerAppliance, { body: { registrationKey: key, name: "appliance1" } });
  await api.client
    .project(project.id)
    .call(routes.finalizeAppliance, { params: { applianceId: appliance.applianceId } });
  return {
    projectId: project.id,
    applianceId: appliance.applianceId,
    registrationKey: key,
    passphrase: appliance.passphrase,
  };
}

export type MachineFactsInput = Omit<MachineFacts, "biosId">;

/** Facts as an agent reports them, for registrations sent straight over HTTP. */
export function facts(hostname: string, overrides: Partial<MachineFactsInput> = {}): MachineFactsInput {
  return {
    hostname,
    os: "Linux",
    osVersion: "6.8.0",
    cpus: 2,
    memoryMiB: 4096,
    disks: [
      { id: "disk0", sizeBytes: 8 * 1024 ** 3, isBoot: true },
      { id: "disk1", sizeBytes: 1024 ** 3 + 512, isBoot: false },
    ],
    nics: [{ mac: "00:15:5d:01:02:03", ip: "10.0.0.4" }],
    ...overrides,
  };
}

/** Registers a machine over HTTP with the passphrase (no agent process): its id and agent key. */
export function registerMachine(api: FerryApi, passphrase: string, machine: MachineFactsInput) {
  return new FerryClient({ server: api.origin }).call(routes.registerAgent, { body: { passphrase, machine } });
}

/** A project with a finalized appliance and one machine registered over HTTP, plus its default policy. */
export async function setUpMachine(
  api: FerryApi,
  hostname: string,
): Promise<ProjectSetUp & { machineId: string; agentKey: string; policyId: string }> {
  const project = await setUpProject(api);
  const machine = await registerMachine(api, project.passphrase, facts(hostname));
  const [policy] = await api.client.project(project.projectId).listAll(routes.listPolicies);
  return { ...project, ...machine, policyId: policy!.id };
}

export const target = { resourceGroup: "rg-migrated", network: "vnet-target", subnet: "default" };

export interface JobBody {
  id: string;
  state: string;
  progress: number;
  tasks: { name: string; state: string; startTime?: string; endTime?: string }[];
}

export function waitForJob(api: FerryApi, projectId: string, jobId: string, state = "Succeeded"): Promise<JobBody> {
  return eventually(
    () => api.expect<JobBody>(api.get(`/projects/${projectId}/jobs/${jobId}`), 200),
    (job) => job.state === state || job.state === "Failed",
    { what: `job ${jobId} to end` },
  );
}

import { errors } from "../domain/errors";
import { isId } from "../domain/ids";
import { signatureHeaders, verify, type SignatureProblem } from "../security/agentSignature";
import { agentKeySecretName } from "./agents";
import { checkMachinePrint } from "./agentPrints";
import type { ControlPlaneDeps } from "./deps";
import { recordNonce } from "./nonces";

export interface AgentIdentity {
  machineId: string;
  projectId: string;
}

export interface SignedRequest {
  method: string;
  pathAndQuery: string;
  header(name: string): string | undefined;
}

const problems: Record<SignatureProblem, string> = {
  Missing: "The request is not signed.",
  Malformed: "The signature headers are malformed.",
  Expired: "The request timestamp is outside the ±5 minute window.",
  BadSignature: "The signature does not match.",
};

/**
 * Agent keys as last read from the vault, so a signed request costs no vault read. A key is set
 * once, at registration; a request that fails against the kept key reads the vault again, and a
 * kept key is dropped after KEY_KEEP_MS in any case.
 */
const keys = new Map<string, { key: string; readAt: number }>();
const KEY_KEEP_MS = 10 * 60 * 1000;
const KEYS_KEPT = 10_000;

function keptKey(machineId: string, now: number): string | undefined {
  const kept = keys.get(machineId);
  return kept && now - kept.readAt < KEY_KEEP_MS ? kept.key : undefined;
}

function keepKey(machineId: string, key: string, now: number): void {
  if (keys.size >= KEYS_KEPT) keys.clear();
  keys.set(machineId, { key, readAt: now });
}

/**
 * The refusal for a machine without an agent row: an agent whose replication was removed is told
 * so (it stops; its key is gone, so it can do nothing else), any other is unknown.
 */
async function unknownAgent(deps: ControlPlaneDeps, machineId: string): Promise<Error> {
  const retired = await deps.stores.retiredAgents.get(machineId, "retired");
  return retired ? errors.agentRetired(retired.value.reason) : errors.invalidSignature("Unknown agent.");
}

/** True when the request carries agent signature headers at all. */
export function isSigned(request: SignedRequest): boolean {
  return request.header(signatureHeaders.signature) !== undefined;
}

/**
 * Verifies an agent's signed request: its key, the time window, then `checkBody` (the body
 * against its signed digest, when the caller can read it first), and only then records the
 * nonce, so a refused request cannot burn one.
 */
export async function authenticateAgent(
  deps: ControlPlaneDeps,
  request: SignedRequest,
  checkBody?: () => Promise<void>,
): Promise<AgentIdentity> {
  await deps.stores.ready();
  const h = (name: string) => request.header(name) ?? "";
  const machineId = h(signatureHeaders.machine);
  const signature = h(signatureHeaders.signature);
  if (!machineId || !signature) throw errors.invalidSignature(problems.Missing);
  if (!isId("machine", machineId)) throw errors.invalidSignature(problems.Malformed);
  // The agent row is read every time: revoking an agent deletes it, so a kept key stops working at once.
  const agent = await deps.stores.agents.get(machineId, "agent");
  if (!agent) throw await unknownAgent(deps, machineId);
  const fingerprint = request.header(signatureHeaders.fingerprint);
  const parts = {
    method: request.method,
    pathAndQuery: request.pathAndQuery,
    contentSha256: h(signatureHeaders.contentSha256),
    timestamp: h(signatureHeaders.timestamp),
    nonce: h(signatureHeaders.nonce),
    ...(fingerprint === undefined ? {} : { fingerprint }),
  };
  const kept = keptKey(machineId, deps.now().getTime());
  let problem = kept === undefined ? "BadSignature" : verify(parts, signature, kept, deps.now().getTime());
  if (problem === "BadSignature") {
    const key = await deps.secrets.get(agentKeySecretName(machineId));
    if (!key) throw errors.invalidSignature("Unknown agent.");
    keepKey(machineId, key, deps.now().getTime());
    problem = verify(parts, signature, key, deps.now().getTime());
  }
  if (problem) throw errors.invalidSignature(problems[problem]);
  // The key is the machine's: now whether this is the machine or a copy of it.
  await checkMachinePrint(deps, { machineId, row: agent.value }, fingerprint);
  await checkBody?.();
  await recordNonce(deps, machineId, parts);
  return { machineId, projectId: agent.value.projectId };
}

import { errors } from "../domain/errors";
import { isId } from "../domain/ids";
import { signatureHeaders, verify, type SignatureProblem } from "../security/agentSignature";
import { agentKeySecretName, recordNonce } from "./agents";
import type { ControlPlaneDeps } from "./deps";

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

/** True when the request carries agent signature headers at all. */
export function isSigned(request: SignedRequest): boolean {
  return request.header(signatureHeaders.signature) !== undefined;
}

/**
 * Verifies an agent's signed request: its key, the time window, then `checkBody` (the body
 * against its signed digest, when the caller can read it first), and only then records the
 * nonce, so a refused request cannot burn one.
 */
export async function authenticateAgent(deps: ControlPlaneDeps, request: SignedRequest, checkBody?: () => Promise<void>): Promise<AgentIdentity> {
  await deps.stores.ready();
  const h = (name: string) => request.header(name) ?? "";
  const machineId = h(signatureHeaders.machine);
  const signature = h(signatureHeaders.signature);
  if (!machineId || !signature) throw errors.invalidSignature(problems.Missing);
  if (!isId("machine", machineId)) throw errors.invalidSignature(problems.Malformed);
  const agent = await deps.stores.agents.get(machineId, "agent");
  const key = agent ? await deps.secrets.get(agentKeySecretName(machineId)) : undefined;
  if (!agent || !key) throw errors.invalidSignature("Unknown agent.");
  const parts = {
    method: request.method, pathAndQuery: request.pathAndQuery,
    contentSha256: h(signatureHeaders.contentSha256), timestamp: h(signatureHeaders.timestamp), nonce: h(signatureHeaders.nonce),
  };
  const problem = verify(parts, signature, key, deps.now().getTime());
  if (problem) throw errors.invalidSignature(problems[problem]);
  await checkBody?.();
  await recordNonce(deps, machineId, parts.nonce);
  return { machineId, projectId: agent.value.projectId };
}

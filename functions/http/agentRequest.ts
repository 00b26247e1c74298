import type { HttpRequest } from "@azure/functions";
import { errors } from "../../shared/domain/errors";
import { authenticateAgent, isSigned, type AgentIdentity } from "../../shared/controlPlane/agentAuth";
import { signatureHeaders } from "../../shared/security/agentSignature";
import { sha256Hex } from "../../shared/security/tokens";
import { services } from "../../shared/services";
import { bodyChunks, parseJson, readSmallBody } from "./body";

function signedRequest(request: HttpRequest) {
  const url = new URL(request.url);
  return {
    method: request.method,
    pathAndQuery: url.pathname + url.search,
    header: (name: string) => request.headers.get(name) ?? undefined,
  };
}

/** A small signed agent request: the signature, then the body digest it names. */
export async function readSignedJson(request: HttpRequest): Promise<{ agent: AgentIdentity; body: unknown }> {
  let bytes: Buffer = Buffer.alloc(0);
  const agent = await authenticateAgent(services(), signedRequest(request), async () => {
    bytes = await readSmallBody(request);
    if (sha256Hex(bytes) !== (request.headers.get(signatureHeaders.contentSha256) ?? "").toLowerCase()) {
      throw errors.invalidSignature("The body does not match its signed digest.");
    }
  });
  return { agent, body: bytes.length === 0 ? {} : parseJson(bytes, request.headers.get("content-type")) };
}

/**
 * A signed agent request whose body is streamed (change batches): the signature is checked
 * now, and the caller compares the body with `signedSha256` once it has read it all.
 */
export async function readSignedStream(
  request: HttpRequest,
): Promise<{ agent: AgentIdentity; signedSha256: string; body: AsyncIterable<Uint8Array> }> {
  const agent = await authenticateAgent(services(), signedRequest(request));
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/octet-stream\b/i.test(type)) throw errors.unsupportedMediaType("application/octet-stream");
  return {
    agent,
    signedSha256: request.headers.get(signatureHeaders.contentSha256) ?? "",
    body: bodyChunks(request),
  };
}

/** Like readSignedJson, but an unsigned request is fine too (first registration). */
export async function readOptionallySignedJson(
  request: HttpRequest,
): Promise<{ agent?: AgentIdentity; body: unknown }> {
  if (isSigned(signedRequest(request))) return readSignedJson(request);
  return { body: parseJson(await readSmallBody(request), request.headers.get("content-type")) };
}

/** An agent may act only on its own machine. */
export function requireOwnMachine(agent: AgentIdentity, machineId: string): void {
  if (agent.machineId !== machineId) throw errors.forbidden("An agent may act only on its own machine.");
}

import { operatorRoles, type OperatorRole, type Principal } from "../domain/access";
import { errors, isFerryError } from "../domain/errors";
import type { OperatorKeyRow } from "../storage/rows";
import { secretName } from "../storage/secretStore";
import { newCredential, parseCredential, sameSecret, sha256Hex } from "../security/tokens";
import type { ControlPlaneDeps } from "./deps";
import { getProject } from "./projects";

const prefix = "ok";
const partition = "operatorKey";
/** lastUsedAt is kept to the minute, so a busy key costs one row write a minute, not one per request. */
const lastUsedResolutionMs = 60_000;

export interface NewOperatorKey {
  name: string;
  role: OperatorRole;
  expiresAt?: string;
}

/** A key as listed: never its secret. */
export interface OperatorKeyView {
  id: string;
  name: string;
  role: OperatorRole;
  projectId: string;
  createdAt: string;
  expiresAt?: string;
  lastUsedAt?: string;
}

export const operatorKeySecretName = (keyId: string) => secretName("operatorkey", keyId);

/** True when the bearer text has the shape of a project's operator key (`ok_<id>.<secret>`). */
export const isOperatorKeyText = (text: string) => parseCredential(text, prefix) !== undefined;

function view(id: string, row: OperatorKeyRow): OperatorKeyView {
  const { projectId, name, createdAt, expiresAt, lastUsedAt } = row;
  return {
    id,
    name,
    role: row.role as OperatorRole,
    projectId,
    createdAt,
    ...(expiresAt ? { expiresAt } : {}),
    ...(lastUsedAt ? { lastUsedAt } : {}),
  };
}

/** A new key for the project; its text is returned this once (the secret goes to Key Vault first). */
export async function createOperatorKey(deps: ControlPlaneDeps, projectId: string, input: NewOperatorKey) {
  await getProject(deps, projectId);
  if (input.expiresAt !== undefined && Date.parse(input.expiresAt) <= deps.now().getTime())
    throw errors.invalidInput("expiresAt must be in the future.", "expiresAt");
  const credential = newCredential(prefix, deps.newId("operatorKey"));
  const row: OperatorKeyRow = {
    projectId,
    name: input.name,
    role: input.role,
    createdAt: deps.now().toISOString(),
    ...(input.expiresAt ? { expiresAt: new Date(input.expiresAt).toISOString() } : {}),
  };
  await deps.secrets.set(operatorKeySecretName(credential.id), credential.secret);
  await deps.stores.operatorKeys.insert(partition, credential.id, row);
  const { id, name, role, expiresAt } = view(credential.id, row);
  return { id, name, role, key: credential.text, ...(expiresAt ? { expiresAt } : {}) };
}

export async function listOperatorKeys(deps: ControlPlaneDeps, projectId: string): Promise<OperatorKeyView[]> {
  await getProject(deps, projectId);
  const out: OperatorKeyView[] = [];
  for await (const row of deps.stores.operatorKeys.partition(partition))
    if (row.value.projectId === projectId) out.push(view(row.rowKey, row.value));
  return out;
}

/** Deletes the row first: the key is refused from that moment, on every instance. */
export async function deleteOperatorKey(deps: ControlPlaneDeps, projectId: string, keyId: string): Promise<void> {
  await getProject(deps, projectId);
  const found = await deps.stores.operatorKeys.get(partition, keyId);
  if (!found || found.value.projectId !== projectId) throw errors.notFound("OperatorKey", keyId);
  await deps.stores.operatorKeys.delete(partition, keyId);
  await deps.secrets.remove(operatorKeySecretName(keyId));
}

/**
 * Checks a presented operator key: its row is read on every request (a deleted or expired key is
 * refused at once); the vault's secret is read once per key and process, as its digest.
 */
export class OperatorKeyVerifier {
  private readonly digests = new Map<string, string>();

  constructor(private readonly deps: ControlPlaneDeps) {}

  async verify(text: string): Promise<Principal> {
    const parsed = parseCredential(text, prefix);
    if (!parsed) throw errors.unauthorized("The operator key is not valid.");
    await this.deps.stores.ready();
    const found = await this.deps.stores.operatorKeys.get(partition, parsed.id);
    const digest = found ? await this.digestOf(parsed.id) : undefined;
    if (!found || digest === undefined || !sameSecret(digest, sha256Hex(parsed.secret)))
      throw errors.unauthorized("The operator key is not valid.");
    const row = found.value;
    const now = this.deps.now();
    if (row.expiresAt !== undefined && Date.parse(row.expiresAt) <= now.getTime()) throw errors.operatorKeyExpired();
    if (!operatorRoles.includes(row.role as OperatorRole)) throw errors.unauthorized("The operator key is not valid.");
    await this.noteUse(parsed.id, row, found.etag, now);
    return {
      kind: "role",
      role: row.role as OperatorRole,
      projectId: row.projectId,
      via: { operatorKeyId: parsed.id },
    };
  }

  private async digestOf(keyId: string): Promise<string | undefined> {
    const known = this.digests.get(keyId);
    if (known !== undefined) return known;
    const secret = await this.deps.secrets.get(operatorKeySecretName(keyId));
    if (secret === undefined) return undefined;
    const digest = sha256Hex(secret);
    this.digests.set(keyId, digest);
    return digest;
  }

  /** A lost race means another request just wrote it: nothing to do. */
  private async noteUse(keyId: string, row: OperatorKeyRow, etag: string, now: Date): Promise<void> {
    const last = row.lastUsedAt === undefined ? 0 : Date.parse(row.lastUsedAt);
    if (now.getTime() - last < lastUsedResolutionMs) return;
    try {
      await this.deps.stores.operatorKeys.replace(partition, keyId, { ...row, lastUsedAt: now.toISOString() }, etag);
    } catch (error) {
      if (!isFerryError(error) || error.code !== "PreconditionFailed") throw error;
    }
  }
}

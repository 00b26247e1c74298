import { secretName } from "../storage/secretStore";
import { errors, isFerryError } from "../domain/errors";
import { newCredential, parseCredential, sameSecret } from "../security/tokens";
import type { ControlPlaneDeps } from "./deps";
import { getProject } from "./projects";

export const registrationKeyLifetimeMs = 5 * 24 * 60 * 60 * 1000;
const prefix = "rk";
const row = "key";

export const registrationKeySecretName = (keyId: string) => secretName("regkey", keyId);

/** A single-use key, valid 5 days, that registers one appliance in the project. */
export async function createRegistrationKey(
  deps: ControlPlaneDeps,
  projectId: string,
): Promise<{ key: string; expiresAt: string }> {
  await getProject(deps, projectId);
  const credential = newCredential(prefix, deps.newId("registrationKey"));
  const expiresAt = new Date(deps.now().getTime() + registrationKeyLifetimeMs).toISOString();
  await deps.secrets.set(registrationKeySecretName(credential.id), credential.secret);
  await deps.stores.registrationKeys.insert(credential.id, row, { projectId, expiresAt });
  return { key: credential.text, expiresAt };
}

/**
 * Checks a presented key and burns it (an ETag-guarded write, so two concurrent uses cannot
 * both succeed); returns its project.
 */
export async function consumeRegistrationKey(
  deps: ControlPlaneDeps,
  text: unknown,
  applianceId: string,
): Promise<string> {
  await deps.stores.ready();
  const parsed = parseCredential(text, prefix);
  if (!parsed) throw errors.invalidRegistrationKey();
  const found = await deps.stores.registrationKeys.get(parsed.id, row);
  if (!found) throw errors.invalidRegistrationKey();
  // A used key's secret is already gone from the vault: say "used", not "invalid".
  if (found.value.usedAt) throw errors.registrationKeyUsed();
  const secret = await deps.secrets.get(registrationKeySecretName(parsed.id));
  if (!secret || !sameSecret(secret, parsed.secret)) throw errors.invalidRegistrationKey();
  if (Date.parse(found.value.expiresAt) <= deps.now().getTime()) throw errors.registrationKeyExpired();
  try {
    await deps.stores.registrationKeys.replace(
      parsed.id,
      row,
      { ...found.value, usedAt: deps.now().toISOString(), applianceId },
      found.etag,
    );
  } catch (error) {
    if (isFerryError(error) && error.code === "PreconditionFailed") throw errors.registrationKeyUsed();
    throw error;
  }
  await deps.secrets.remove(registrationKeySecretName(parsed.id));
  return found.value.projectId;
}

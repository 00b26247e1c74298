import { secretName } from "../storage/secretStore";
import { errors } from "../domain/errors";
import type { ApplianceRow } from "../storage/rows";
import { newCredential, parseCredential, sameSecret } from "../security/tokens";
import type { ControlPlaneDeps } from "./deps";
import { getProject } from "./projects";
import { consumeRegistrationKey } from "./registrationKeys";

export interface Appliance {
  id: string;
  projectId: string;
  name: string;
  state: ApplianceRow["state"];
  registeredAt: string;
  finalizedAt?: string;
  passphraseRotatedAt: string;
}

const partition = "appliance";
const passphrasePrefix = "pp";
export const passphraseSecretName = (applianceId: string) => secretName("passphrase", applianceId);

function view(id: string, row: ApplianceRow): Appliance {
  return { id, ...row };
}

async function newPassphrase(deps: ControlPlaneDeps, applianceId: string): Promise<string> {
  const credential = newCredential(passphrasePrefix, applianceId);
  await deps.secrets.set(passphraseSecretName(applianceId), credential.secret);
  return credential.text;
}

/** Registers an appliance with a registration key; the passphrase is returned this once. */
export async function registerAppliance(deps: ControlPlaneDeps, input: { registrationKey: string; name: string }) {
  const applianceId = deps.newId("appliance");
  const projectId = await consumeRegistrationKey(deps, input.registrationKey, applianceId);
  const now = deps.now().toISOString();
  const passphrase = await newPassphrase(deps, applianceId);
  await deps.stores.appliances.insert(partition, applianceId, {
    projectId,
    name: input.name,
    state: "Registered",
    registeredAt: now,
    passphraseRotatedAt: now,
  });
  return { applianceId, projectId, passphrase };
}

async function getOwned(deps: ControlPlaneDeps, projectId: string, applianceId: string) {
  await getProject(deps, projectId);
  const found = await deps.stores.appliances.get(partition, applianceId);
  if (!found || found.value.projectId !== projectId) throw errors.notFound("Appliance", applianceId);
  return found;
}

export async function finalizeAppliance(
  deps: ControlPlaneDeps,
  projectId: string,
  applianceId: string,
): Promise<Appliance> {
  const found = await getOwned(deps, projectId, applianceId);
  if (found.value.state === "Finalized") return view(applianceId, found.value);
  const row: ApplianceRow = { ...found.value, state: "Finalized", finalizedAt: deps.now().toISOString() };
  await deps.stores.appliances.replace(partition, applianceId, row, found.etag);
  return view(applianceId, row);
}

/**
 * A new passphrase for future agent registrations. Agents already registered sign with
 * their own keys, so rotating never breaks them.
 */
export async function rotatePassphrase(
  deps: ControlPlaneDeps,
  projectId: string,
  applianceId: string,
): Promise<{ passphrase: string }> {
  const found = await getOwned(deps, projectId, applianceId);
  const passphrase = await newPassphrase(deps, applianceId);
  await deps.stores.appliances.replace(
    partition,
    applianceId,
    { ...found.value, passphraseRotatedAt: deps.now().toISOString() },
    found.etag,
  );
  return { passphrase };
}

export async function listAppliances(deps: ControlPlaneDeps, projectId: string): Promise<Appliance[]> {
  await getProject(deps, projectId);
  const out: Appliance[] = [];
  for await (const row of deps.stores.appliances.partition(partition)) {
    if (row.value.projectId === projectId) out.push(view(row.rowKey, row.value));
  }
  return out;
}

/** The finalized appliance a passphrase belongs to, or an InvalidPassphrase error. */
export async function applianceForPassphrase(deps: ControlPlaneDeps, text: unknown): Promise<Appliance> {
  await deps.stores.ready();
  const parsed = parseCredential(text, passphrasePrefix);
  if (!parsed) throw errors.invalidPassphrase();
  const [found, secret] = await Promise.all([
    deps.stores.appliances.get(partition, parsed.id),
    deps.secrets.get(passphraseSecretName(parsed.id)),
  ]);
  if (!found || !secret || !sameSecret(secret, parsed.secret)) throw errors.invalidPassphrase();
  if (found.value.state !== "Finalized") throw errors.applianceNotFinalized(parsed.id);
  return view(parsed.id, found.value);
}

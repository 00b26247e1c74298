import { secretName } from "../storage/secretStore";
import { errors } from "../domain/errors";
import { columns } from "../storage/columns";
import type { MachineRow } from "../storage/rows";
import { newCredential, sha256Hex } from "../security/tokens";
import type { ControlPlaneDeps } from "./deps";
import { applianceForPassphrase } from "./appliances";

export interface MachineFacts {
  hostname: string;
  os: string;
  osVersion: string;
  cpus: number;
  memoryMiB: number;
  disks: { id: string; sizeBytes: number; isBoot: boolean }[];
  nics: { mac: string; ip?: string }[];
  /** A hardware identity (SMBIOS UUID) when the agent can read one; the hostname otherwise. */
  biosId?: string;
}

export const agentKeySecretName = (machineId: string) => secretName("agentkey", machineId);
const agentKeyPrefix = "ak";

function identityKey(facts: MachineFacts): string {
  return sha256Hex((facts.biosId ?? `host:${facts.hostname}`).trim().toLowerCase()).slice(0, 40);
}

function machineRow(
  applianceId: string,
  identity: string,
  facts: MachineFacts,
  registeredAt: string,
  now: string,
): MachineRow {
  const { disks, nics, biosId: _biosId, ...rest } = facts;
  return {
    ...rest,
    applianceId,
    identity,
    disks: columns.machineDisks.serialize(disks),
    nics: columns.machineNics.serialize(nics),
    registeredAt,
    updatedAt: now,
  };
}

/** The machine already holding this identity in the project, if its record is whole. */
async function holderOf(deps: ControlPlaneDeps, projectId: string, identity: string): Promise<string | undefined> {
  const claim = await deps.stores.identities.get(projectId, identity);
  if (!claim) return undefined;
  const machine = await deps.stores.machines.get(projectId, claim.value.machineId);
  return machine ? claim.value.machineId : undefined;
}

/**
 * Enrolls a machine with the appliance passphrase and returns its own agent key. An agent
 * that signs the request with its key (`signedBy`) re-registers: its record is updated,
 * never duplicated. Another machine claiming a registered identity is refused.
 */
export async function registerAgent(
  deps: ControlPlaneDeps,
  input: { passphrase: string; machine: MachineFacts },
  signedBy?: { machineId: string; projectId: string },
): Promise<{ machineId: string; agentKey: string }> {
  const identity = identityKey(input.machine);
  const now = deps.now().toISOString();
  if (signedBy) {
    // The agent's own key authenticates it: a rotated passphrase must not lock it out.
    const holder = await holderOf(deps, signedBy.projectId, identity);
    if (holder && holder !== signedBy.machineId) throw errors.machineIdentityConflict(holder);
    return reRegister(deps, signedBy.projectId, signedBy.machineId, identity, input.machine, now);
  }
  const appliance = await applianceForPassphrase(deps, input.passphrase);
  const projectId = appliance.projectId;
  const holder = await holderOf(deps, projectId, identity);
  if (holder) throw errors.machineIdentityConflict(holder);
  const machineId = deps.newId("machine");
  await deps.stores.identities.upsert(projectId, identity, { machineId });
  const key = newCredential(agentKeyPrefix, machineId);
  await deps.secrets.set(agentKeySecretName(machineId), key.secret);
  await deps.stores.agents.insert(machineId, "agent", { projectId, applianceId: appliance.id });
  await deps.stores.machines.insert(projectId, machineId, machineRow(appliance.id, identity, input.machine, now, now));
  return { machineId, agentKey: key.text };
}

async function reRegister(
  deps: ControlPlaneDeps,
  projectId: string,
  machineId: string,
  identity: string,
  facts: MachineFacts,
  now: string,
) {
  const existing = await deps.stores.machines.get(projectId, machineId);
  if (!existing) throw errors.notFound("Machine", machineId);
  if (existing.value.identity !== identity) {
    await deps.stores.identities.upsert(projectId, identity, { machineId });
    await deps.stores.identities.delete(projectId, existing.value.identity);
  }
  await deps.stores.machines.replace(
    projectId,
    machineId,
    machineRow(existing.value.applianceId, identity, facts, existing.value.registeredAt, now),
    existing.etag,
  );
  const secret = await deps.secrets.get(agentKeySecretName(machineId));
  if (!secret) throw errors.forbidden("This agent's credentials were removed.");
  return { machineId, agentKey: `${agentKeyPrefix}_${machineId}.${secret}` };
}

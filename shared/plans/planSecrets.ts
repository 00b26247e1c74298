import { randomBytes } from "node:crypto";
import { secretName, type SecretStore } from "../storage/secretStore";

/** Each plan's webhook signing secret, in Key Vault: made with the plan, shown once, gone with it. */
export function planSecretName(planId: string): string {
  return secretName("plan-webhook", planId);
}

export async function newPlanSecret(secrets: SecretStore, planId: string): Promise<string> {
  const secret = randomBytes(32).toString("base64url");
  await secrets.set(planSecretName(planId), secret);
  return secret;
}

export async function planSecret(secrets: SecretStore, planId: string): Promise<string> {
  const secret = await secrets.get(planSecretName(planId));
  if (secret === undefined) throw new Error(`Recovery plan ${planId} has no webhook secret in the vault.`);
  return secret;
}

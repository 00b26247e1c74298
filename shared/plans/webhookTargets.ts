import { lookup } from "node:dns/promises";
import { errors } from "../domain/errors";
import { type PlanGroup } from "../domain/recoveryPlans";
import { blockedAddressReason, webhookUrlProblem } from "../domain/webhookAddresses";

/**
 * Refuses a webhook URL the plan may never call: its own problems (domain/webhookAddresses.ts),
 * then every address its host resolves to now. A name that does not resolve yet is checked again
 * at each call, on the address the connection uses.
 */
export async function checkWebhookUrl(url: string, target: string, allowedHosts?: readonly string[]): Promise<void> {
  const problem = webhookUrlProblem(url, allowedHosts);
  if (problem !== undefined) throw errors.webhookNotAllowed(target, problem);
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  const addresses = await lookup(host, { all: true }).catch(() => []);
  for (const { address } of addresses) {
    const blocked = blockedAddressReason(address);
    if (blocked !== undefined) throw errors.webhookNotAllowed(target, `${host} resolves to ${blocked}`);
  }
}

/** Every webhook of the groups, each refused with the field it came from. */
export async function checkPlanWebhooks(groups: readonly PlanGroup[], allowedHosts?: readonly string[]): Promise<void> {
  for (const [index, group] of groups.entries()) {
    for (const phase of ["preActions", "postActions"] as const) {
      for (const [at, action] of group[phase].entries()) {
        if (action.kind === "Webhook")
          await checkWebhookUrl(action.url, `groups[${index}].${phase}[${at}].url`, allowedHosts);
      }
    }
  }
}

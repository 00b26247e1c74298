import { createHmac } from "node:crypto";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { getJob } from "../controlPlane/jobStore";
import { errors, isFerryError } from "../domain/errors";
import type { JobError } from "../domain/jobs";
import { defaultWebhookTimeoutSeconds, type WebhookAction } from "../domain/recoveryPlans";
import { blockedAddressReason, webhookUrlProblem } from "../domain/webhookAddresses";
import { vmIdFor } from "../lifecycle/failover/materialize";
import type { PlanDeps } from "./deps";
import { planSecret } from "./planSecrets";
import { getPlan } from "./planStore";
import type { PlanJobRef } from "./planRun";

/** The header carrying HMAC-SHA256 (hex) of the body, keyed with the plan's webhook secret. */
export const signatureHeader = "x-ferry-signature";

export function signBody(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/** Resolves as the connection will, refusing link-local and metadata addresses: no name can lead there. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, "", 0);
    const blocked = addresses.map((a) => blockedAddressReason(a.address)).find((reason) => reason !== undefined);
    if (blocked !== undefined)
      return callback(errors.webhookNotAllowed("url", `${hostname} resolves to ${blocked}`), "", 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0];
    return first
      ? callback(null, first.address, first.family)
      : callback(new Error(`${hostname} has no address`), "", 0);
  });
};

/** POSTs the body: its status, or a thrown error (time-out, refused address, connection). No redirect is followed. */
function post(url: URL, body: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  const send = url.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const request = send(url, { method: "POST", headers, lookup: guardedLookup }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
      response.on("error", reject);
    });
    // The whole exchange is bounded, not only each silence on the socket.
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    request.on("close", () => clearTimeout(timer));
    request.on("error", reject);
    request.end(body);
  });
}

/** The VMs the plan's job made so far: names, ids and private IPs, for the receiver to check or wire up. */
async function vmsSoFar(deps: PlanDeps, ref: PlanJobRef) {
  const job = await getJob(deps, ref.projectId, ref.jobId);
  const done = job.tasks.filter((t) => t.kind === "Item" && t.state === "Succeeded" && t.jobId);
  const vms = await Promise.all(done.map((t) => deps.targets.getVirtualMachine(ref.projectId, vmIdFor(t.jobId ?? ""))));
  return {
    job,
    virtualMachines: vms.flatMap((vm) =>
      vm ? [{ id: vm.id, name: vm.name, itemId: vm.itemId, privateIpAddress: vm.nic.privateIpAddress }] : [],
    ),
  };
}

/** Calls a webhook action: 2xx succeeds; anything else, a time-out or a refused address is the step's error. */
export async function callPlanWebhook(
  deps: PlanDeps,
  ref: PlanJobRef & { task: string; group: { index: number; name: string }; action: WebhookAction },
): Promise<JobError | undefined> {
  const problem = webhookUrlProblem(ref.action.url, deps.config.webhookAllowedHosts);
  if (problem !== undefined) return { code: "WebhookNotAllowed", message: `The webhook URL is refused: ${problem}.` };
  const [plan, { job, virtualMachines }, secret] = await Promise.all([
    getPlan(deps, ref.projectId, ref.planId),
    vmsSoFar(deps, ref),
    planSecret(deps.secrets, ref.planId),
  ]);
  const body = JSON.stringify({
    deliveryId: `${ref.jobId}/${ref.task}`,
    plan: { id: plan.id, name: plan.name },
    job: { id: job.id, operation: job.operation },
    group: ref.group,
    action: { name: ref.action.name },
    virtualMachines,
    sentAt: deps.now().toISOString(),
  });
  const headers = { "content-type": "application/json", [signatureHeader]: signBody(secret, body) };
  const timeoutMs = (ref.action.timeoutSeconds ?? defaultWebhookTimeoutSeconds) * 1000;
  try {
    const status = await post(new URL(ref.action.url), body, headers, timeoutMs);
    if (status >= 200 && status < 300) return undefined;
    return { code: "WebhookFailed", message: `The webhook '${ref.action.name}' answered ${status}.` };
  } catch (error) {
    if (isFerryError(error)) return { code: error.code, message: error.message };
    const why = error instanceof Error ? error.message : String(error);
    return { code: "WebhookFailed", message: `The webhook '${ref.action.name}' could not be called: ${why}.` };
  }
}

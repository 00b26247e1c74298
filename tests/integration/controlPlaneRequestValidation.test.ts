// Sloppy requests: unknown fields, values out of range, each refused naming the field (threats: tests/security).
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { uniqueHostname } from "../support/agentCli";
import {
  setUpMachine,
  startFerry,
  target,
  waitForJob,
  type ApiError,
  type ApiReply,
  type RunningFerry,
} from "../support/ferryApi";

let ferry: RunningFerry;
/** Project A holds a machine, a policy, an item and its job. */
let a: Awaited<ReturnType<typeof setUpMachine>> & { itemId: string; jobId: string };
beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"));
  const set = await setUpMachine(ferry.api, uniqueHostname());
  const started = await ferry.api.expect<{ item: { id: string }; job: { id: string } }>(
    ferry.api.post(`/projects/${set.projectId}/replications`, {
      machineId: set.machineId,
      policyId: set.policyId,
      target,
    }),
    202,
  );
  a = { ...set, itemId: started.item.id, jobId: started.job.id };
  await waitForJob(ferry.api, a.projectId, a.jobId);
});
afterAll(async () => {
  await ferry?.stop();
});

function refusal(reply: ApiReply<ApiError>) {
  return [reply.status, reply.body?.error.code];
}

describe("request bodies", () => {
  it("with unknown fields are refused with 400 InvalidInput naming the field", async () => {
    const cases: [string, string, unknown, string][] = [
      ["POST", "/projects", { name: "p", geography: "Europe", targetRegion: "westeurope", owner: "me" }, "owner"],
      [
        "POST",
        `/projects/${a.projectId}/replications`,
        { machineId: a.machineId, policyId: a.policyId, target: { ...target, colour: "blue" } },
        "target.colour",
      ],
      [
        "PATCH",
        `/projects/${a.projectId}/replicating-servers/${a.itemId}`,
        { target: { vmsize: "auto" } },
        "target.vmsize",
      ],
      [
        "POST",
        "/agent/register",
        {
          passphrase: a.passphrase,
          machine: {
            hostname: "h",
            os: "Linux",
            osVersion: "1",
            cpus: 1,
            memoryMiB: 1,
            disks: [{ id: "d", sizeBytes: 1, isBoot: true }],
            nics: [],
            gpu: 1,
          },
        },
        "machine.gpu",
      ],
    ];
    for (const [method, path, body, field] of cases) {
      const reply = await ferry.api.request<ApiError>(method, path, { body });
      expect([path, ...refusal(reply), reply.body.error.target]).toEqual([path, 400, "InvalidInput", field]);
      expect(reply.body.error.message).toContain(field);
    }
  });

  it("for a policy with values out of range are refused with 400 naming the field", async () => {
    const good = {
      name: "p",
      rpoThresholdMinutes: 30,
      recoveryPointRetentionHours: 24,
      crashConsistentFrequencyMinutes: 5,
      appConsistentFrequencyMinutes: 60,
    };
    const bad: [Partial<typeof good>, string][] = [
      [{ rpoThresholdMinutes: 0 }, "rpoThresholdMinutes"],
      [{ rpoThresholdMinutes: 100000 }, "rpoThresholdMinutes"],
      [{ recoveryPointRetentionHours: 361 }, "recoveryPointRetentionHours"],
      [{ recoveryPointRetentionHours: -1 }, "recoveryPointRetentionHours"],
      [{ crashConsistentFrequencyMinutes: 0 }, "crashConsistentFrequencyMinutes"],
      [{ appConsistentFrequencyMinutes: 30 }, "appConsistentFrequencyMinutes"],
      [{ recoveryPointRetentionHours: 0 }, "appConsistentFrequencyMinutes"],
      [{ rpoThresholdMinutes: 10, crashConsistentFrequencyMinutes: 15 }, "rpoThresholdMinutes"],
      [{ rpoThresholdMinutes: 7.5 }, "rpoThresholdMinutes"],
    ];
    for (const [change, field] of bad) {
      const reply = await ferry.api.post<ApiError>(`/projects/${a.projectId}/policies`, { ...good, ...change });
      expect([JSON.stringify(change), ...refusal(reply), reply.body.error.target]).toEqual([
        JSON.stringify(change),
        400,
        "InvalidInput",
        field,
      ]);
    }
    const policies = await ferry.api.expect<{ value: { name: string }[] }>(
      ferry.api.get(`/projects/${a.projectId}/policies`),
      200,
    );
    expect(policies.value.map((p) => p.name)).toEqual(["default"]);
  });
});

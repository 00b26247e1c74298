// One lifecycle operation per item (docs/lifecycle.md §4), and refused requests that leave no trace.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { uniqueHostname } from "../support/agentCli";
import {
  facts,
  registerMachine,
  setUpMachine,
  startFerry,
  target,
  waitForJob,
  type ApiError,
  type RunningFerry,
} from "../support/ferryApi";

let ferry: RunningFerry;
beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"));
});
afterAll(async () => {
  await ferry?.stop();
});

interface Started {
  item: { id: string };
  job: { id: string };
}

async function listed(projectId: string, what: "replicating-servers" | "jobs"): Promise<{ id: string }[]> {
  return (await ferry.api.expect<{ value: { id: string }[] }>(ferry.api.get(`/projects/${projectId}/${what}`), 200))
    .value;
}

describe("enabling replication of one machine concurrently", () => {
  it("accepts exactly one request; the others get 409 OperationInProgress with the winner's job", async () => {
    const set = await setUpMachine(ferry.api, uniqueHostname());
    const request = { machineId: set.machineId, policyId: set.policyId, target };
    const replies = await Promise.all(
      Array.from({ length: 5 }, () =>
        ferry.api.post<Started & ApiError>(`/projects/${set.projectId}/replications`, request),
      ),
    );
    const winners = replies.filter((r) => r.status === 202);
    expect(winners).toHaveLength(1);
    const jobId = winners[0].body.job.id;
    const losers = replies
      .filter((r) => r.status !== 202)
      .map((r) => [r.status, r.body.error.code, r.body.error.jobId]);
    expect(losers).toEqual(Array.from({ length: 4 }, () => [409, "OperationInProgress", jobId]));
    expect((await listed(set.projectId, "replicating-servers")).map((i) => i.id)).toEqual([winners[0].body.item.id]);
    expect((await listed(set.projectId, "jobs")).map((j) => j.id)).toEqual([jobId]);

    await waitForJob(ferry.api, set.projectId, jobId);
    const later = await ferry.api.post<ApiError>(`/projects/${set.projectId}/replications`, request);
    expect([later.status, later.body.error.code]).toEqual([409, "Conflict"]);
    expect(await listed(set.projectId, "jobs")).toHaveLength(1);
  });

  it("accepts different machines of one project at the same time", async () => {
    const set = await setUpMachine(ferry.api, uniqueHostname());
    const others = await Promise.all(
      [1, 2, 3].map(() => registerMachine(ferry.api, set.passphrase, facts(uniqueHostname()))),
    );
    const machineIds = [set.machineId, ...others.map((o) => o.machineId)];
    const replies = await Promise.all(
      machineIds.map((machineId) =>
        ferry.api.post<Started & ApiError>(`/projects/${set.projectId}/replications`, {
          machineId,
          policyId: set.policyId,
          target,
        }),
      ),
    );
    expect(replies.map((r) => [r.status, r.body.error?.code])).toEqual(machineIds.map(() => [202, undefined]));
    await Promise.all(replies.map((r) => waitForJob(ferry.api, set.projectId, r.body.job.id)));
    expect(await listed(set.projectId, "replicating-servers")).toHaveLength(4);
  });
});

describe("a refused enable-replication", () => {
  it("leaves no item and no job, and the machine can still be replicated", async () => {
    const set = await setUpMachine(ferry.api, uniqueHostname());
    const path = `/projects/${set.projectId}/replications`;
    const valid = { machineId: set.machineId, policyId: set.policyId, target };
    const refused: [unknown, number, string][] = [
      [{ ...valid, policyId: `pol_${"0".repeat(26)}` }, 404, "NotFound"],
      [{ ...valid, machineId: `mch_${"0".repeat(26)}` }, 404, "NotFound"],
      [
        { ...valid, target: { ...target, disks: [{ diskId: "disk9", include: true, diskType: "Premium_LRS" }] } },
        400,
        "InvalidInput",
      ],
      [
        { ...valid, target: { ...target, disks: [{ diskId: "disk0", include: false, diskType: "Premium_LRS" }] } },
        400,
        "InvalidInput",
      ],
      [{ ...valid, target: { ...target, vmSize: "Standard_Nonexistent_v9" } }, 400, "InvalidInput"],
      [{ ...valid, target: { ...target, extra: true } }, 400, "InvalidInput"],
      [{ ...valid, target: { resourceGroup: "rg" } }, 400, "InvalidInput"],
    ];
    for (const [body, status, code] of refused) {
      const reply = await ferry.api.post<ApiError>(path, body);
      expect([JSON.stringify(body), reply.status, reply.body.error.code]).toEqual([JSON.stringify(body), status, code]);
    }
    expect(await listed(set.projectId, "replicating-servers")).toEqual([]);
    expect(await listed(set.projectId, "jobs")).toEqual([]);
    const project = await ferry.api.expect<{ targetRegionLocked?: boolean }>(
      ferry.api.get(`/projects/${set.projectId}`),
      200,
    );
    expect(project.targetRegionLocked).not.toBe(true);
    const started = await ferry.api.expect<Started>(ferry.api.post(path, valid), 202);
    expect((await waitForJob(ferry.api, set.projectId, started.job.id)).state).toBe("Succeeded");
  });
});

describe("a refused agent registration", () => {
  it("leaves no machine behind", async () => {
    const set = await setUpMachine(ferry.api, uniqueHostname());
    const bootless = facts(uniqueHostname(), { disks: [{ id: "disk0", sizeBytes: 1024, isBoot: false }] });
    const reply = await ferry.api.post<ApiError>(
      "/agent/register",
      { passphrase: set.passphrase, machine: bootless },
      { authorization: null },
    );
    expect([reply.status, reply.body.error.code, reply.body.error.target]).toEqual([
      400,
      "InvalidInput",
      "machine.disks",
    ]);
    const machines = await ferry.api.expect<{ value: { id: string }[] }>(
      ferry.api.get(`/projects/${set.projectId}/machines`),
      200,
    );
    expect(machines.value.map((m) => m.id)).toEqual([set.machineId]);
  });
});

// Hostile or sloppy requests: oversized bodies, odd ids, unknown fields, bad ranges, other projects' ids.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { uniqueHostname } from "../support/agentCli";
import {
  setUpMachine,
  setUpProject,
  startFerry,
  target,
  waitForJob,
  type ApiError,
  type ApiReply,
  type RunningFerry,
} from "../support/ferryApi";

let ferry: RunningFerry;
/** Project A holds a machine, a policy, an item and its job; project B is the onlooker. */
let a: Awaited<ReturnType<typeof setUpMachine>> & { itemId: string; jobId: string };
let b: string;
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
  b = (await setUpProject(ferry.api)).projectId;
});
afterAll(async () => {
  await ferry?.stop();
});

const maxJsonBodyBytes = 256 * 1024;

function refusal(reply: ApiReply<ApiError>) {
  return [reply.status, reply.body?.error.code];
}

describe("request bodies", () => {
  it("over the JSON limit are refused with 413 PayloadTooLarge, declared or streamed", async () => {
    const big = JSON.stringify({ name: "x".repeat(maxJsonBodyBytes), geography: "Europe", targetRegion: "westeurope" });
    expect(refusal(await ferry.api.request<ApiError>("POST", "/projects", { rawBody: big }))).toEqual([
      413,
      "PayloadTooLarge",
    ]);
    const stream = new Blob([big]).stream();
    const streamed = await fetch(ferry.api.url("/projects"), {
      method: "POST",
      body: stream,
      duplex: "half",
      headers: { authorization: `Bearer ${ferry.api.operatorKey}`, "content-type": "application/json" },
    } as RequestInit & { duplex: "half" });
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as ApiError).error.code).toBe("PayloadTooLarge");
  });

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

describe("ids in paths", () => {
  it("that are malformed answer 404, whatever they hold", async () => {
    const odd = [
      "prj_x",
      encodeURIComponent("../"),
      encodeURIComponent("'or''='"),
      "x".repeat(2000),
      `${"prj_".padEnd(30, "0")}`,
      "PRJ_" + a.projectId.slice(4),
    ];
    for (const id of odd) {
      for (const path of [
        `/projects/${id}`,
        `/projects/${id}/machines`,
        `/projects/${a.projectId}/machines/${id}`,
        `/projects/${a.projectId}/replicating-servers/${id}`,
        `/projects/${a.projectId}/jobs/${id}`,
      ]) {
        const reply = await ferry.api.get<ApiError>(path);
        expect([path.slice(0, 120), ...refusal(reply)]).toEqual([path.slice(0, 120), 404, "NotFound"]);
      }
    }
  });

  it("of another project answer 404 and show nothing of it", async () => {
    const reads = [
      `/projects/${b}/machines/${a.machineId}`,
      `/projects/${b}/replicating-servers/${a.itemId}`,
      `/projects/${b}/jobs/${a.jobId}`,
    ];
    for (const path of reads)
      expect([path, ...refusal(await ferry.api.get<ApiError>(path))]).toEqual([path, 404, "NotFound"]);
    const writes: [string, string, unknown][] = [
      ["POST", `/projects/${b}/appliances/${a.applianceId}/finalize`, undefined],
      ["POST", `/projects/${b}/appliances/${a.applianceId}/passphrase`, undefined],
      ["PATCH", `/projects/${b}/replicating-servers/${a.itemId}`, { target: { resourceGroup: "stolen" } }],
      ["POST", `/projects/${b}/jobs/${a.jobId}/cancel`, undefined],
      ["POST", `/projects/${b}/replications`, { machineId: a.machineId, policyId: a.policyId, target }],
    ];
    for (const [method, path, body] of writes) {
      const reply = await ferry.api.request<ApiError>(method, path, { body });
      expect([path, ...refusal(reply)]).toEqual([path, 404, "NotFound"]);
      expect(reply.text).not.toContain(a.projectId);
    }
    for (const list of ["machines", "replicating-servers", "jobs", "appliances"]) {
      const reply = await ferry.api.expect<{ value: { id: string }[] }>(ferry.api.get(`/projects/${b}/${list}`), 200);
      expect(JSON.stringify(reply)).not.toContain(a.projectId);
    }
    const filtered = await ferry.api.expect<{ value: object[] }>(
      ferry.api.get(`/projects/${b}/jobs?itemId=${a.itemId}`),
      200,
    );
    expect(filtered.value).toEqual([]);
  });

  it("of another project's policy cannot start replication here", async () => {
    const other = await setUpMachine(ferry.api, uniqueHostname());
    const reply = await ferry.api.post<ApiError>(`/projects/${other.projectId}/replications`, {
      machineId: other.machineId,
      policyId: a.policyId,
      target,
    });
    expect([...refusal(reply), reply.body.error.target]).toEqual([404, "NotFound", "Policy"]);
    const items = await ferry.api.expect<{ value: object[] }>(
      ferry.api.get(`/projects/${other.projectId}/replicating-servers`),
      200,
    );
    expect(items.value).toEqual([]);
  });
});

// Threat: one project's ids used under another project's path (DESIGN §6: "projects are isolated: another
// project's ids answer 404"), here with the bootstrap key, which may see both projects: every read and
// write answers 404 NotFound, shows nothing of the other project, and changes nothing in either.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { uniqueHostname } from "../support/agentCli";
import { itemInDelta, type DeltaItem } from "../support/agentForgery";
import {
  setUpMachine,
  setUpProject,
  startFerry,
  target,
  waitForJob,
  type ApiError,
  type JobBody,
  type RunningFerry,
} from "../support/ferryApi";
import { refusal } from "../support/refusals";
import { StateWatch } from "../support/stateSnapshot";

const storage = inject("storageConnectionString");
let ferry: RunningFerry;
/** Project A holds a replicating item with a recovery point, its jobs and a test VM; project B is the onlooker. */
let a: DeltaItem & { applianceId: string; jobId: string; pointId: string; vmId: string };
let b: string;
let watch: StateWatch;
beforeAll(async () => {
  ferry = await startFerry(storage);
  const item = await itemInDelta(ferry.api);
  const project = `/projects/${item.projectId}`;
  const [appliance] = (await ferry.api.expect<{ value: { id: string }[] }>(ferry.api.get(`${project}/appliances`), 200))
    .value;
  const server = `${project}/replicating-servers/${item.itemId}`;
  const [point] = (await ferry.api.expect<{ value: { id: string }[] }>(ferry.api.get(`${server}/recovery-points`), 200))
    .value;
  const { job } = await ferry.api.expect<{ job: JobBody }>(
    ferry.api.post(`${server}/test-migrate`, { network: "vnet-test", recoveryPoint: point!.id }),
    202,
  );
  await waitForJob(ferry.api, item.projectId, job.id);
  const [vm] = (await ferry.api.expect<{ value: { id: string }[] }>(ferry.api.get(`${project}/virtual-machines`), 200))
    .value;
  a = { ...item, applianceId: appliance!.id, jobId: job.id, pointId: point!.id, vmId: vm!.id };
  b = (await setUpProject(ferry.api)).projectId;
  watch = new StateWatch(storage, [a.projectId, a.itemId, a.machineId, a.vmId, b]);
});
afterAll(async () => {
  await ferry?.stop();
});

describe("another project's ids", () => {
  it("answer 404 on every read, and show nothing of that project", async () => {
    const reads = [
      `/projects/${b}/machines/${a.machineId}`,
      `/projects/${b}/replicating-servers/${a.itemId}`,
      `/projects/${b}/replicating-servers/${a.itemId}/recovery-points`,
      `/projects/${b}/jobs/${a.jobId}`,
      `/projects/${b}/virtual-machines/${a.vmId}`,
      `/projects/${b}/virtual-machines/${a.vmId}/disks/disk0`,
    ];
    await watch.unchanged(async () => {
      for (const path of reads) {
        const reply = await ferry.api.get<ApiError>(path);
        expect([path, ...refusal(reply)]).toEqual([path, 404, "NotFound"]);
        expect(reply.text).not.toContain(a.projectId);
      }
      for (const list of ["machines", "replicating-servers", "jobs", "appliances", "virtual-machines"]) {
        const reply = await ferry.api.expect<{ value: { id: string }[] }>(ferry.api.get(`/projects/${b}/${list}`), 200);
        expect(JSON.stringify(reply)).not.toContain(a.projectId);
      }
      const filtered = await ferry.api.expect<{ value: object[] }>(
        ferry.api.get(`/projects/${b}/jobs?itemId=${a.itemId}`),
        200,
      );
      expect(filtered.value).toEqual([]);
    });
  });

  it("answer 404 on every write and operation, and change nothing in either project", async () => {
    const server = `/projects/${b}/replicating-servers/${a.itemId}`;
    const writes: [string, string, unknown][] = [
      ["POST", `/projects/${b}/appliances/${a.applianceId}/finalize`, undefined],
      ["POST", `/projects/${b}/appliances/${a.applianceId}/passphrase`, undefined],
      ["PATCH", server, { target: { resourceGroup: "stolen" } }],
      ["POST", `/projects/${b}/jobs/${a.jobId}/cancel`, undefined],
      [
        "POST",
        `/projects/${b}/replications`,
        { machineId: a.machineId, policyId: "pol_00000000000000000000000000", target },
      ],
      ["POST", `${server}/recovery-points/${a.pointId}/verify`, undefined],
      ["POST", `${server}/test-migrate-cleanup`, undefined],
      ["POST", `${server}/migrate`, { shutdownSource: false }],
      ["POST", `${server}/complete`, undefined],
      ["POST", `${server}/resync`, undefined],
      ["POST", `${server}/pause`, undefined],
      ["POST", `${server}/resume`, undefined],
    ];
    await watch.unchanged(async () => {
      for (const [method, path, body] of writes) {
        const reply = await ferry.api.request<ApiError>(method, path, { body });
        expect([path, ...refusal(reply)]).toEqual([path, 404, "NotFound"]);
        expect(reply.text).not.toContain(a.projectId);
      }
    });
  });

  it("of a policy cannot start replication in this project", async () => {
    const other = await setUpMachine(ferry.api, uniqueHostname());
    const [policy] = (
      await ferry.api.expect<{ value: { id: string }[] }>(ferry.api.get(`/projects/${a.projectId}/policies`), 200)
    ).value;
    await watch.add(other.projectId, other.machineId).unchanged(async () => {
      const reply = await ferry.api.post<ApiError>(`/projects/${other.projectId}/replications`, {
        machineId: other.machineId,
        policyId: policy!.id,
        target,
      });
      expect([...refusal(reply), reply.body.error.target]).toEqual([404, "NotFound", "Policy"]);
    });
    const items = await ferry.api.expect<{ value: object[] }>(
      ferry.api.get(`/projects/${other.projectId}/replicating-servers`),
      200,
    );
    expect(items.value).toEqual([]);
  });

  it("of a machine cannot be replicated from this project", async () => {
    const [policy] = (
      await ferry.api.expect<{ value: { id: string }[] }>(ferry.api.get(`/projects/${b}/policies`), 200)
    ).value;
    await watch.unchanged(async () => {
      const reply = await ferry.api.post<ApiError>(`/projects/${b}/replications`, {
        machineId: a.machineId,
        policyId: policy!.id,
        target,
      });
      expect([...refusal(reply), reply.body.error.target]).toEqual([404, "NotFound", "Machine"]);
    });
  });
});

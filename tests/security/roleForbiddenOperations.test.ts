// Threat: a project's operator key doing more than its role allows. A Reader changes nothing and starts
// no job (verify included); a Contributor manages no operator keys; each is refused 403 Forbidden with
// nothing changed, while everything its role does allow works as the administrator's calls do.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { newId } from "../../shared/domain/ids";
import { setUpReplication, type Replication } from "../support/dataPathSetup";
import { startFerry, type RunningFerry } from "../support/ferryApi";
import { answers, createKey, operatorCalls, type OperatorCall } from "../support/operatorRoutes";
import { rowsMentioning } from "../support/stateSnapshot";

const storage = inject("storageConnectionString");
let ferry: RunningFerry;
let project: Replication & { applianceId: string };
let routes: OperatorCall[];
let keyIds: string[];

beforeAll(async () => {
  ferry = await startFerry(storage);
  const { api } = ferry;
  const replication = await setUpReplication(api, [{ id: "disk0", sizeBytes: 4 * 1024 * 1024, isBoot: true }]);
  const appliances = await api.expect<{ value: { id: string }[] }>(
    api.get(`/projects/${replication.projectId}/appliances`),
    200,
  );
  const jobs = await api.expect<{ value: { id: string }[] }>(api.get(`/projects/${replication.projectId}/jobs`), 200);
  const spare = await createKey(api, replication.projectId, "Reader");
  project = { ...replication, applianceId: appliances.value[0]!.id };
  keyIds = [spare.id];
  routes = operatorCalls({
    projectId: project.projectId,
    applianceId: project.applianceId,
    machineId: project.machineId,
    itemId: project.itemId,
    jobId: jobs.value[0]!.id,
    recoveryPointId: newId("recoveryPoint", new Date(), randomBytes),
    vmId: newId("virtualMachine", new Date(), randomBytes),
    planId: newId("recoveryPlan", new Date(), randomBytes),
    diskId: "disk0",
    operatorKeyId: spare.id,
  });
});
afterAll(async () => {
  await ferry?.stop();
});

const refusedAll = (list: OperatorCall[]) => list.map((route) => `${route.name} 403 Forbidden`);

describe("a Reader's key", () => {
  it("is refused 403 Forbidden for every route that changes state or starts a job, and nothing changes", async () => {
    const { key } = await createKey(ferry.api, project.projectId, "Reader");
    const changing = routes.filter((route) => route.access !== "read");
    expect(changing.map((route) => route.name)).toEqual(
      expect.arrayContaining(["verifyRecoveryPoint", "migrate", "createRegistrationKey", "rotatePassphrase"]),
    );
    const before = await rowsMentioning(storage, [project.projectId]);

    expect(await answers(ferry.api, changing, key)).toEqual(refusedAll(changing));
    expect(await rowsMentioning(storage, [project.projectId])).toEqual(before);
  });

  it("gets from every GET route (VHD downloads included) what the administrator gets", async () => {
    const { key } = await createKey(ferry.api, project.projectId, "Reader");
    const reads = routes.filter((route) => route.access === "read");
    expect(reads.map((route) => route.name)).toContain("getVirtualMachineDisk");
    const asReader = await answers(ferry.api, reads, key);
    expect(asReader.filter((answer) => answer.includes(" 403"))).toEqual([]);
    expect(asReader).toEqual(await answers(ferry.api, reads, ferry.api.operatorKey));
  });
});

describe("a Contributor's key", () => {
  it("is refused 403 Forbidden for creating or deleting operator keys, and no key changes", async () => {
    const { key } = await createKey(ferry.api, project.projectId, "Contributor");
    const keyRoutes = routes.filter((route) => route.access === "manageKeys");
    expect(keyRoutes.map((route) => route.name).sort()).toEqual(["createOperatorKey", "deleteOperatorKey"]);
    const before = await rowsMentioning(storage, [project.projectId, ...keyIds]);

    expect(await answers(ferry.api, keyRoutes, key)).toEqual(refusedAll(keyRoutes));
    expect(await rowsMentioning(storage, [project.projectId, ...keyIds])).toEqual(before);
  });

  it("creates registration keys, rotates the passphrase and lists operator keys", async () => {
    const { key } = await createKey(ferry.api, project.projectId, "Contributor");
    const auth = { authorization: `Bearer ${key}` };
    const { api } = ferry;
    await api.expect(api.post(`/projects/${project.projectId}/registration-keys`, undefined, auth), 201);
    await api.expect(
      api.post(`/projects/${project.projectId}/appliances/${project.applianceId}/passphrase`, {}, auth),
      200,
    );
    await api.expect(api.get(`/projects/${project.projectId}/operator-keys`, auth), 200);
  });
});

describe("an Owner's key", () => {
  it("creates keys of every role, Owner included, and may delete its own: it stops working at once", async () => {
    const owner = await createKey(ferry.api, project.projectId, "Owner");
    for (const role of ["Reader", "Contributor", "Owner"] as const)
      expect((await createKey(ferry.api, project.projectId, role, { bearer: owner.key })).role).toBe(role);
    const auth = { authorization: `Bearer ${owner.key}` };
    const { api } = ferry;
    expect((await api.request("DELETE", `/projects/${project.projectId}/operator-keys/${owner.id}`, auth)).status).toBe(
      204,
    );
    const after = await api.get<{ error: { code: string } }>(`/projects/${project.projectId}`, auth);
    expect([after.status, after.body.error.code]).toEqual([401, "Unauthorized"]);
  });
});

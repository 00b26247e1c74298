// Threat: an operator key still working after it was deleted (a leaver's key, a leaked one). The key
// is refused from the moment DELETE answers, with no grace period and no cache in the way.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { setUpProject, startFerry, type RunningFerry } from "../support/ferryApi";
import { createKey } from "../support/operatorRoutes";
import { rowsMentioning } from "../support/stateSnapshot";

const storage = inject("storageConnectionString");
let ferry: RunningFerry;
let projectId: string;

beforeAll(async () => {
  ferry = await startFerry(storage);
  projectId = (await setUpProject(ferry.api)).projectId;
});
afterAll(async () => {
  await ferry?.stop();
});

describe("a deleted operator key", () => {
  it("is refused 401 Unauthorized at once, having worked the moment before, and changes nothing", async () => {
    const { api } = ferry;
    const created = await createKey(api, projectId, "Contributor");
    const auth = { authorization: `Bearer ${created.key}` };
    await api.expect(api.get(`/projects/${projectId}/machines`, auth), 200);
    expect((await api.request("DELETE", `/projects/${projectId}/operator-keys/${created.id}`)).status).toBe(204);
    const before = await rowsMentioning(storage, [projectId]);

    const read = await api.get<{ error: { code: string } }>(`/projects/${projectId}/machines`, auth);
    const write = await api.post<{ error: { code: string } }>(`/projects/${projectId}/registration-keys`, {}, auth);

    expect([read.status, read.body.error.code]).toEqual([401, "Unauthorized"]);
    expect([write.status, write.body.error.code]).toEqual([401, "Unauthorized"]);
    expect(await rowsMentioning(storage, [projectId])).toEqual(before);
    const listed = await api.expect<{ value: { id: string }[] }>(api.get(`/projects/${projectId}/operator-keys`), 200);
    expect(listed.value.map((key) => key.id)).not.toContain(created.id);
  });

  it("answers 404 when deleted again, or when another project's path names it", async () => {
    const { api } = ferry;
    const other = (await setUpProject(api)).projectId;
    const created = await createKey(api, projectId, "Reader");
    const wrongProject = await api.request<{ error: { code: string } }>(
      "DELETE",
      `/projects/${other}/operator-keys/${created.id}`,
    );
    expect([wrongProject.status, wrongProject.body.error.code]).toEqual([404, "NotFound"]);
    await api.expect(api.get(`/projects/${projectId}`, { authorization: `Bearer ${created.key}` }), 200);
    expect((await api.request("DELETE", `/projects/${projectId}/operator-keys/${created.id}`)).status).toBe(204);
    expect((await api.request("DELETE", `/projects/${projectId}/operator-keys/${created.id}`)).status).toBe(404);
  });
});

// Threat: an operator key used past its expiry. It is refused 401 OperatorKeyExpired and changes
// nothing; an expiry already past is refused when the key is made.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { eventually } from "../support/eventually";
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

describe("an expired operator key", () => {
  it("works until its expiry, then is refused 401 OperatorKeyExpired and changes nothing", async () => {
    const { api } = ferry;
    const expiresAt = new Date(Date.now() + 3000).toISOString();
    const created = await createKey(api, projectId, "Owner", { expiresAt });
    expect(created.expiresAt).toBe(expiresAt);
    const auth = { authorization: `Bearer ${created.key}` };
    await api.expect(api.get(`/projects/${projectId}`, auth), 200);

    const refused = await eventually(
      () => api.get<{ error: { code: string } }>(`/projects/${projectId}`, auth),
      (reply) => reply.status !== 200,
      { what: "the key to expire", timeoutMs: 10_000, intervalMs: 200 },
    );
    expect([refused.status, refused.body.error.code]).toEqual([401, "OperatorKeyExpired"]);
    const before = await rowsMentioning(storage, [projectId]);
    const again = await api.post<{ error: { code: string } }>(
      `/projects/${projectId}/operator-keys`,
      {
        name: "late",
        role: "Owner",
      },
      auth,
    );
    expect([again.status, again.body.error.code]).toEqual([401, "OperatorKeyExpired"]);
    expect(await rowsMentioning(storage, [projectId])).toEqual(before);
  });

  it("cannot be made with an expiry in the past: 400 InvalidInput, and no key is made", async () => {
    const { api } = ferry;
    const before = await rowsMentioning(storage, [projectId]);
    const reply = await api.post<{ error: { code: string; target: string } }>(`/projects/${projectId}/operator-keys`, {
      name: "stale",
      role: "Reader",
      expiresAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect([reply.status, reply.body.error.code, reply.body.error.target]).toEqual([400, "InvalidInput", "expiresAt"]);
    expect(await rowsMentioning(storage, [projectId])).toEqual(before);
  });
});

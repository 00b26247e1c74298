// Operator keys per project, as scripts and the CLI use them: made with a role, listed without their
// secret (with when each was last used), deleted; and whoami, which tells a caller its role.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { secretPart, setUpProject, startFerry, type RunningFerry } from "../support/ferryApi";
import { createKey } from "../support/operatorRoutes";
import { findLeaks, storedTexts } from "../support/secretScan";

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

interface ListedKey {
  id: string;
  name: string;
  role: string;
  projectId: string;
  createdAt: string;
  expiresAt?: string;
  lastUsedAt?: string;
}

describe("operator keys", () => {
  it("are made with a role and shown once as ok_<id>.<secret>; the list never holds the secret", async () => {
    const { api } = ferry;
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const reply = await api.post<{ id: string; name: string; role: string; key: string; expiresAt: string }>(
      `/projects/${projectId}/operator-keys`,
      { name: "ci-pipeline", role: "Contributor", expiresAt },
    );
    expect(reply.status).toBe(201);
    expect(Object.keys(reply.body).sort()).toEqual(["expiresAt", "id", "key", "name", "role"]);
    expect(reply.body).toMatchObject({ name: "ci-pipeline", role: "Contributor", expiresAt });
    expect(reply.body.id).toMatch(/^ok_[0-9a-z]{26}$/);
    expect(reply.body.key.startsWith(`${reply.body.id}.`)).toBe(true);

    const list = await api.get<{ value: ListedKey[] }>(`/projects/${projectId}/operator-keys`);
    expect(list.status).toBe(200);
    const listed = list.body.value.find((key) => key.id === reply.body.id);
    expect(listed).toMatchObject({ name: "ci-pipeline", role: "Contributor", projectId, expiresAt });
    expect(list.text).not.toContain(secretPart(reply.body.key));
    expect(findLeaks(await storedTexts(storage), { operatorKey: secretPart(reply.body.key) })).toEqual([]);
  });

  it("record when a key was last used", async () => {
    const { api } = ferry;
    const created = await createKey(api, projectId, "Reader");
    const before = await api.expect<{ value: ListedKey[] }>(api.get(`/projects/${projectId}/operator-keys`), 200);
    expect(before.value.find((key) => key.id === created.id)?.lastUsedAt).toBeUndefined();
    const usedAt = Date.now();
    await api.expect(api.get(`/projects/${projectId}/machines`, { authorization: `Bearer ${created.key}` }), 200);
    const after = await api.expect<{ value: ListedKey[] }>(api.get(`/projects/${projectId}/operator-keys`), 200);
    const lastUsedAt = Date.parse(after.value.find((key) => key.id === created.id)?.lastUsedAt ?? "");
    expect(Math.abs(lastUsedAt - usedAt)).toBeLessThan(10_000);
  });

  it("refuse a body with an unknown role or field: 400, and no key is made", async () => {
    const { api } = ferry;
    const count = async () =>
      (await api.expect<{ value: ListedKey[] }>(api.get(`/projects/${projectId}/operator-keys`), 200)).value.length;
    const before = await count();
    for (const body of [{ name: "x", role: "Administrator" }, { name: "x", role: "Reader", scope: "all" }, {}]) {
      const reply = await api.post<{ error: { code: string } }>(`/projects/${projectId}/operator-keys`, body);
      expect([reply.status, reply.body.error.code]).toEqual([400, "InvalidInput"]);
    }
    expect(await count()).toBe(before);
  });
});

describe("GET /whoami", () => {
  it("tells the bootstrap key it is the administrator, and a project's key its role and project", async () => {
    const { api } = ferry;
    expect(await api.expect(api.get("/whoami"), 200)).toEqual({ role: "Administrator" });
    for (const role of ["Reader", "Contributor", "Owner"] as const) {
      const { key } = await createKey(api, projectId, role);
      expect(await api.expect(api.get("/whoami", { authorization: `Bearer ${key}` }), 200)).toEqual({
        role,
        projectId,
      });
    }
  });

  it("answers 401 without a credential", async () => {
    const reply = await ferry.api.get<{ error: { code: string } }>("/whoami", { authorization: null });
    expect([reply.status, reply.body.error.code]).toEqual([401, "Unauthorized"]);
  });
});

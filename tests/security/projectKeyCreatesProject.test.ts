// Threat: a project's operator key stepping outside its project by creating another one. Only the
// administrator (and an Owner of every project) creates projects: POST /projects answers 403.
import { randomBytes } from "node:crypto";
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

describe("POST /projects with a project's operator key", () => {
  it.each(["Reader", "Contributor", "Owner"] as const)(
    "of role %s is refused 403 Forbidden, and no project is made",
    async (role) => {
      const { key } = await createKey(ferry.api, projectId, role);
      const name = `forbidden-${randomBytes(4).toString("hex")}`;
      const reply = await ferry.api.post<{ error: { code: string } }>(
        "/projects",
        { name, geography: "Europe", targetRegion: "westeurope" },
        { authorization: `Bearer ${key}` },
      );
      expect([reply.status, reply.body.error.code]).toEqual([403, "Forbidden"]);
      expect(await rowsMentioning(storage, [name])).toEqual([]);
    },
  );

  it("succeeds with the bootstrap key, the administrator", async () => {
    const name = `allowed-${randomBytes(4).toString("hex")}`;
    await ferry.api.expect(ferry.api.post("/projects", { name, geography: "Europe", targetRegion: "westeurope" }), 201);
    expect((await rowsMentioning(storage, [name])).length).toBe(1);
  });
});

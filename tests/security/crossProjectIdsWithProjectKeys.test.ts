// Threat: a project's operator key reaching another project's resources by their ids. Every operator
// route, called with the other project's ids by a key of each role, answers 404 as if they did not exist.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { newId } from "../../shared/domain/ids";
import { setUpReplication, type Replication } from "../support/dataPathSetup";
import { setUpProject, startFerry, type RunningFerry } from "../support/ferryApi";
import { answers, createKey, operatorCalls } from "../support/operatorRoutes";
import { rowsMentioning } from "../support/stateSnapshot";

const storage = inject("storageConnectionString");
let ferry: RunningFerry;
let mine: string;
let theirs: Replication & { applianceId: string; jobId: string; operatorKeyId: string };

beforeAll(async () => {
  ferry = await startFerry(storage);
  mine = (await setUpProject(ferry.api)).projectId;
  const replication = await setUpReplication(ferry.api, [{ id: "disk0", sizeBytes: 4 * 1024 * 1024, isBoot: true }]);
  const { api } = ferry;
  const appliances = await api.expect<{ value: { id: string }[] }>(
    api.get(`/projects/${replication.projectId}/appliances`),
    200,
  );
  const jobs = await api.expect<{ value: { id: string }[] }>(api.get(`/projects/${replication.projectId}/jobs`), 200);
  const theirKey = await createKey(api, replication.projectId, "Owner");
  theirs = {
    ...replication,
    applianceId: appliances.value[0]!.id,
    jobId: jobs.value[0]!.id,
    operatorKeyId: theirKey.id,
  };
});
afterAll(async () => {
  await ferry?.stop();
});

describe("a project's operator key, given another project's ids", () => {
  it.each(["Reader", "Contributor", "Owner"] as const)(
    "of role %s gets 404 NotFound from every project route, and nothing of the other project changes",
    async (role) => {
      const { key } = await createKey(ferry.api, mine, role);
      const routes = operatorCalls({
        projectId: theirs.projectId,
        applianceId: theirs.applianceId,
        machineId: theirs.machineId,
        itemId: theirs.itemId,
        jobId: theirs.jobId,
        recoveryPointId: newId("recoveryPoint", new Date(), randomBytes),
        vmId: newId("virtualMachine", new Date(), randomBytes),
        planId: newId("recoveryPlan", new Date(), randomBytes),
        diskId: "disk0",
        operatorKeyId: theirs.operatorKeyId,
      }).filter((route) => route.path.startsWith("/projects/"));
      expect(routes.length).toBeGreaterThan(30);
      const before = await rowsMentioning(storage, [theirs.projectId]);

      const got = await answers(ferry.api, routes, key);

      expect(got).toEqual(routes.map((route) => `${route.name} 404 NotFound`));
      expect(await rowsMentioning(storage, [theirs.projectId])).toEqual(before);
    },
  );

  it("is not told the other project exists: the answer is the one a made-up project id gets", async () => {
    const { key } = await createKey(ferry.api, mine, "Owner");
    const madeUp = newId("project", new Date(), randomBytes);
    const real = await ferry.api.get<{ error: { message: string } }>(`/projects/${theirs.projectId}`, {
      authorization: `Bearer ${key}`,
    });
    const none = await ferry.api.get<{ error: { message: string } }>(`/projects/${madeUp}`, {
      authorization: `Bearer ${key}`,
    });
    expect([real.status, none.status]).toEqual([404, 404]);
    expect(real.body.error.message.replace(theirs.projectId, "<id>")).toBe(
      none.body.error.message.replace(madeUp, "<id>"),
    );
  });

  it("lists its own project only", async () => {
    const { key } = await createKey(ferry.api, mine, "Reader");
    const listed = await ferry.api.expect<{ value: { id: string }[] }>(
      ferry.api.get("/projects", { authorization: `Bearer ${key}` }),
      200,
    );
    expect(listed.value.map((project) => project.id)).toEqual([mine]);
  });
});

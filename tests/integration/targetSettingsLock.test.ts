// Target settings may change until replication starts (the first replicated byte), then they are fixed.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AgentCalls, batchBytes, setUpReplication, SourceImage, type Replication } from "../support/dataPathSetup";
import { startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";

const MiB = 1024 * 1024;
let ferry: RunningFerry;
let r: Replication;
const disk = new SourceImage("disk0", 2 * MiB);

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"));
  r = await setUpReplication(ferry.api, [{ id: "disk0", sizeBytes: disk.sizeBytes, isBoot: true }]);
});
afterAll(async () => {
  await ferry?.stop();
});

describe("target settings of a replicating server", () => {
  it("change until the first replicated byte arrives, and are refused from then on with nothing changed", async () => {
    const item = `/projects/${r.projectId}/replicating-servers/${r.itemId}`;
    const before = await ferry.api.patch<{ target: { vmSize: string; subnet: string } }>(item, {
      target: { subnet: "apps", vmSize: "Standard_D4s_v5" },
    });
    expect(before.status, before.text).toBe(200);
    expect(before.body.target).toMatchObject({ subnet: "apps", vmSize: "Standard_D4s_v5" });

    const agent = new AgentCalls(ferry.api, r.credentials);
    const batch = await batchBytes(r.machineId, "disk0", 1, 1, disk.extents(0, MiB));
    expect((await agent.putBatch(r.itemId, "disk0", 1, 1, batch)).status).toBe(200);

    const after = await ferry.api.patch<ApiError>(item, { target: { subnet: "other" } });
    expect(after.status).toBe(409);
    expect(after.body.error.code).toBe("OperationNotAllowed");
    const current = await ferry.api.get<{ target: { subnet: string } }>(item);
    expect(current.body.target.subnet).toBe("apps");
  });
});

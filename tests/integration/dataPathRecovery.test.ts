// A host killed after acknowledging batches but before applying them: the acknowledged batches
// are durable, and the next host applies them, in order, before the next recovery point.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { AgentCalls, batchBytes, setUpReplication, SourceImage, verifyPoint } from "../support/dataPathSetup";
import { FerryApi } from "../support/ferryApi";
import { repoRoot, startHostProcess, uniqueHubName, type HostProcess } from "../support/hostProcess";

const MiB = 1024 * 1024;
const operatorKey = randomBytes(24).toString("base64url");
const hosts: HostProcess[] = [];
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

async function host(env: Record<string, string> = {}): Promise<FerryApi> {
  const started = await startHostProcess({ appDir: repoRoot, storage: inject("storageConnectionString"), env: { FERRY_OPERATOR_KEY: operatorKey, FERRY_HUB_NAME: uniqueHubName(), ...env } });
  hosts.push(started);
  return new FerryApi(started.origin, operatorKey);
}

afterAll(async () => { await Promise.all(hosts.map((h) => h.kill())); });

describe("a host killed between acknowledging and applying batches", () => {
  it("applies the acknowledged batches after a restart, so the next cycle's point is byte-exact", async () => {
    const disk0 = new SourceImage("disk0", 5 * MiB + 4096);
    const disk1 = new SourceImage("disk1", 2 * MiB + 777);
    const first = await host({ FERRY_APPLY_MODE: "deferred" });
    const r = await setUpReplication(first, [{ id: "disk0", sizeBytes: disk0.sizeBytes, isBoot: true }, { id: "disk1", sizeBytes: disk1.sizeBytes, isBoot: false }]);
    let agent = new AgentCalls(first, r.credentials);
    for (const [image, sequence, start, end] of [[disk0, 1, 0, 3 * MiB], [disk0, 2, 3 * MiB, disk0.sizeBytes], [disk1, 1, 0, disk1.sizeBytes]] as const) {
      const reply = await agent.putBatch(r.itemId, image.diskId, 1, sequence, await batchBytes(r.machineId, image.diskId, 1, sequence, image.extents(start, end)));
      expect(reply.status, reply.text).toBe(200);
    }

    await hosts[0]!.kill("SIGKILL");
    const second = await host();
    agent = new AgentCalls(second, r.credentials);
    disk0.write(4 * MiB + 10, randomBytes(9000));
    const delta = await agent.putBatch(r.itemId, "disk0", 1, 3, await batchBytes(r.machineId, "disk0", 1, 3, disk0.extents(4 * MiB, 4 * MiB + 12288)));
    expect(delta.status, delta.text).toBe(200);
    const cycle = await agent.cycle<{ recoveryPointId: string }>(r.itemId, {
      cycleId: "after-restart", sourceTime: new Date().toISOString(), type: "CrashConsistent", initialCopyComplete: true,
      disks: [{ diskId: "disk0", sequence: 3 }, { diskId: "disk1", sequence: 1 }],
    });
    expect(cycle.status, cycle.text).toBe(200);
    const result = await verifyPoint(second, r.projectId, r.itemId, cycle.body.recoveryPointId);
    expect(result.disks.map((d) => d.sha256)).toEqual([sha(disk0.read()), sha(disk1.read())]);
  });
});

// The host killed (SIGKILL) during an initial copy, while a batch streams into the replica under
// its lease, then started again on the same port, storage and task hub: the real agent retries,
// the new host waits out the dead one's lease, and the copy goes on from where it was
// acknowledged — no byte acknowledged twice — to points byte-exact with the source.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, describe, expect, inject, it } from "vitest";
import { replicaRef } from "../../shared/replication/store";
import { removeTempDirs, tempDir } from "../support/agentCli";
import { enrollWithHost, MiB, startAgent, writeSourceImage, type RunningAgent } from "../support/agentRunKit";
import { eventually } from "../support/eventually";
import { startFerry, type RunningFerry } from "../support/ferryApi";
import { uniqueHubName } from "../support/hostProcess";
import { verifyEveryPoint } from "../support/pointChecks";
import { sha256File } from "../support/replicaDisk";

const SIZE = 40 * MiB + 4096;
const BATCH = 4 * MiB;
const storage = () => inject("storageConnectionString");
const options = {
  hubName: uniqueHubName(),
  operatorKey: randomBytes(24).toString("base64url"),
  env: { FERRY_CYCLE_INTERVAL_SECONDS: "1" },
};
let ferry: RunningFerry | undefined;
let agent: RunningAgent | undefined;

afterAll(async () => {
  await agent?.kill("SIGKILL");
  await ferry?.stop();
  removeTempDirs();
});

interface ItemRow {
  migrationState: string;
  lastRecoveryPointTime?: string;
  disks: { bytesReplicated: number }[];
}

/** Data and zero-run MiB of every batch the agent logged as acknowledged. */
function ackedMiB(log: string): number {
  return [...log.matchAll(/batch \d+ acked: ([\d.]+) MiB data \+ ([\d.]+) MiB zero runs/g)].reduce(
    (sum, m) => sum + Number(m[1]) + Number(m[2]),
    0,
  );
}

describe("a host killed during an initial copy", () => {
  it("lets the agent finish the copy on the restarted host without sending it again: every point is byte-exact", async () => {
    ferry = await startFerry(storage(), options);
    const port = Number(new URL(ferry.host.origin).port);
    const dir = tempDir("ferry-hostcrash-");
    const image = path.join(dir, "source.img");
    await writeSourceImage(image, SIZE, [[10 * MiB, 12 * MiB]]);
    const { stateDir, projectId, itemId, itemPath } = await enrollWithHost(ferry.api, ferry.host.origin, dir, image);
    // Slow enough that the copy takes several seconds, so the kill lands in the middle of it.
    await ferry.api.expect(ferry.api.patch(itemPath, { throttleBytesPerSecond: 6_000_000 }), 200);
    agent = startAgent(stateDir, { FERRY_AGENT_HEARTBEAT_MS: "100", FERRY_AGENT_BATCH_BYTES: String(BATCH) });

    // Once a third of the disk is acknowledged, the host dies while it holds the replica's lease.
    const row = (api = ferry!.api) => api.expect<ItemRow>(api.get(itemPath), 200);
    await eventually(
      () => row(),
      (r) => r.disks[0]!.bytesReplicated >= SIZE / 3,
      { timeoutMs: 30_000 },
    );
    const ref = replicaRef(projectId, itemId, "disk0");
    const replica = BlobServiceClient.fromConnectionString(storage())
      .getContainerClient(ref.container)
      .getPageBlobClient(ref.name);
    await eventually(
      () => replica.getProperties().then((p) => p.leaseState),
      (state) => state === "leased",
      { timeoutMs: 10_000 },
    );
    await ferry.host.kill("SIGKILL");
    expect(ackedMiB(agent.output()), "the copy was not over at the kill").toBeLessThan(SIZE / MiB);

    ferry = await startFerry(storage(), { ...options, port });
    const done = await eventually(
      () => row(),
      (r) => r.migrationState === "Replicating" && r.lastRecoveryPointTime !== undefined,
      { timeoutMs: 60_000 },
    );
    expect(ackedMiB(agent.output()), agent.output()).toBeLessThanOrEqual((SIZE + BATCH) / MiB);
    expect(done.disks[0]!.bytesReplicated).toBeLessThanOrEqual(SIZE);
    await agent.kill("SIGTERM");
    // The source never changed: every point holds it as it is.
    const points = await verifyEveryPoint(ferry.api, projectId, itemId);
    expect(points.length).toBeGreaterThan(0);
    const source = await sha256File(image);
    for (const point of points) expect(point.digests, point.id).toEqual({ disk0: source });
  }, 120_000);
});

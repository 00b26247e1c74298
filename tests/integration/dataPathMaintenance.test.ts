// Retention and the orphan sweep, on real Azurite through the storage adapters (no host).
import { randomBytes } from "node:crypto";
import { BlobServiceClient } from "@azure/storage-blob";
import { describe, expect, inject, it } from "vitest";
import { insertJob } from "../../shared/controlPlane/jobStore";
import { newId, type IdKind } from "../../shared/domain/ids";
import { createJob } from "../../shared/domain/jobs";
import { itemPoints, replicaRef, toAgentItem, VaultDataKeys, type DataPathDeps } from "../../shared/replication/store";
import { maintainItem } from "../../shared/replication/points";
import { LocalKeyWrapper } from "../../shared/security/keyWrapper";
import { Containers } from "../../shared/storage/blobContainers";
import { AzureCacheBlobs } from "../../shared/storage/cacheBlobs";
import { AzureReplicaBlobs } from "../../shared/storage/replicaBlobs";
import type { ItemRow } from "../../shared/storage/rows";
import type { SecretStore } from "../../shared/storage/secretStore";
import { createStores } from "../../shared/storage/stores";

class MemorySecrets implements SecretStore {
  private readonly values = new Map<string, string>();
  async set(name: string, value: string) {
    this.values.set(name, value);
  }
  async get(name: string) {
    return this.values.get(name);
  }
  async remove(name: string) {
    this.values.delete(name);
  }
  async ping() {
    return true;
  }
}

function deps(clock: { now: Date }): DataPathDeps {
  const connectionString = inject("storageConnectionString");
  const stores = createStores({ kind: "connectionString", connectionString });
  const containers = new Containers(BlobServiceClient.fromConnectionString(connectionString));
  const secrets = new MemorySecrets();
  return {
    stores,
    secrets,
    now: () => clock.now,
    newId: (kind: IdKind) => newId(kind, clock.now, randomBytes),
    cache: new AzureCacheBlobs(containers),
    replicas: new AzureReplicaBlobs(containers),
    dataKeys: new VaultDataKeys(stores, secrets, new LocalKeyWrapper("test-key-encryption-key", randomBytes(32))),
    dataPathSettings: { applyInline: true },
  };
}

describe("data path maintenance", () => {
  it("prunes points past retention row first, keeps pinned and newest ones, and sweeps orphan snapshots", async () => {
    const clock = { now: new Date() };
    const d = deps(clock);
    await d.stores.ready();
    const [projectId, itemId, policyId] = [d.newId("project"), d.newId("item"), d.newId("policy")];
    await d.stores.policies.insert(projectId, policyId, {
      name: "p",
      rpoThresholdMinutes: 60,
      recoveryPointRetentionHours: 1,
      crashConsistentFrequencyMinutes: 5,
      appConsistentFrequencyMinutes: 0,
      createdAt: clock.now.toISOString(),
    });
    const ref = replicaRef(projectId, itemId, "disk0");
    await d.replicas.createIfAbsent(ref, 1024 * 1024 + 512);
    const lease = await d.replicas.lease(ref, 15);
    const snapshots: string[] = [];
    for (let i = 0; i < 5; i += 1) snapshots.push(await d.replicas.snapshot(ref, lease!.id));
    await lease!.release();
    const job = createJob({ id: d.newId("job"), operation: "TestMigrate", itemId, now: clock.now });
    await insertJob(d, projectId, job);
    const hoursAgo = [5, 4, 3, 0];
    const ids = hoursAgo.map((h, i) =>
      newId("recoveryPoint", new Date(clock.now.getTime() - h * 3_600_000 - i), randomBytes),
    );
    for (const [i, id] of ids.entries()) {
      await d.stores.recoveryPoints.insert(itemId, id, {
        projectId,
        time: new Date(clock.now.getTime() - hoursAgo[i]! * 3_600_000).toISOString(),
        type: "CrashConsistent",
        cycleId: `c${i}`,
        final: false,
        disks: JSON.stringify([{ diskId: "disk0", snapshot: snapshots[i], sizeBytes: 1024 * 1024 }]),
        pins: JSON.stringify(i === 1 ? [job.id] : []),
        createdAt: clock.now.toISOString(),
      });
    }
    const row = {
      policyId,
      machineId: d.newId("machine"),
      disks: JSON.stringify([{ diskId: "disk0", sizeBytes: 1024 * 1024, include: true }]),
    } as ItemRow;
    const report = { applied: 0, pruned: 0, sweptBlobs: 0, sweptSnapshots: 0 };
    await maintainItem(d, toAgentItem(projectId, itemId, row), report);
    expect((await itemPoints(d, itemId)).map((p) => p.id).sort()).toEqual([ids[1], ids[3]].sort());
    expect(report).toMatchObject({ pruned: 2, sweptSnapshots: 0 });
    clock.now = new Date(clock.now.getTime() + 16 * 60_000);
    await maintainItem(d, toAgentItem(projectId, itemId, row), report);
    const left: string[] = [];
    for await (const snap of d.replicas.listSnapshots(ref.container, `replicas/${itemId}/`)) left.push(snap.snapshot);
    expect(left.sort()).toEqual([snapshots[1], snapshots[3]].sort());
  });
});

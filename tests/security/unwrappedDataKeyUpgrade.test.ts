// Threat (defect 7, the data already stored): a data folder from before keys were wrapped still holds
// a project's key in the clear, as a vault secret its row names. On first start the host wraps it
// and purges the secret, saying so in one log line; data sealed with the key before still decrypts,
// so the recovery point after the upgrade verifies byte for byte; a second start finds nothing to do.
import { createHash, randomBytes } from "node:crypto";
import { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAzurite, type EmbeddedAzurite } from "../../devhost/azurite/embedded";
import {
  AgentCalls,
  batchBytes,
  setUpReplication,
  SourceImage,
  verifyPoint,
  type Replication,
} from "../support/dataPathSetup";
import { startFerry, type RunningFerry } from "../support/ferryApi";
import { uniqueHubName } from "../support/hostProcess";
import { keyForms, openLocalVault } from "../support/localVault";
import { findLeaks, storedTexts } from "../support/secretScan";

// Its own Azurite: every host that starts upgrades every key it finds, so on the shared one another
// suite's host could do this test's upgrade first.
let azurite: EmbeddedAzurite;
let storage: string;
let keyRows: TableClient;
const MiB = 1024 * 1024;
const operatorKey = randomBytes(24).toString("base64url");
const hubName = uniqueHubName();
const running: RunningFerry[] = [];
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

async function ferry(): Promise<RunningFerry> {
  const started = await startFerry(storage, { operatorKey, hubName, env: { FERRY_APPLY_MODE: "deferred" } });
  running.push(started);
  return started;
}

beforeAll(async () => {
  azurite = await startAzurite();
  storage = azurite.connectionString;
  keyRows = TableClient.fromConnectionString(storage, "FerryDataKeys", { allowInsecureConnection: true });
});
afterAll(async () => {
  await Promise.all(running.map((host) => host.stop()));
  await azurite?.stop();
});

/** The first copy applied at a point, then a change acknowledged and left staged (sealed) in the cache. */
async function replicateAndStage(api: RunningFerry["api"], image: SourceImage): Promise<Replication> {
  const r = await setUpReplication(api, [{ id: "disk0", sizeBytes: image.sizeBytes, isBoot: true }]);
  const agent = new AgentCalls(api, r.credentials);
  const seed = await batchBytes(r.machineId, "disk0", 1, 1, image.extents());
  expect((await agent.putBatch(r.itemId, "disk0", 1, 1, seed)).status).toBe(200);
  const first = await agent.cycle(r.itemId, {
    cycleId: "copy",
    sourceTime: new Date().toISOString(),
    type: "CrashConsistent",
    initialCopyComplete: true,
    disks: [{ diskId: "disk0", sequence: 1 }],
  });
  expect(first.status, first.text).toBe(200);
  image.write(MiB + 100, randomBytes(70_000));
  const delta = await batchBytes(r.machineId, "disk0", 1, 2, image.extents(MiB, MiB + 80 * 1024));
  expect((await agent.putBatch(r.itemId, "disk0", 1, 2, delta)).status).toBe(200);
  return r;
}

/** What the code before wrapping kept: the key as a vault secret, named by the project's row. */
async function writeUnwrappedForm(projectId: string): Promise<{ key: Buffer; secretName: string }> {
  const vault = await openLocalVault(storage);
  try {
    const key = await vault.services.dataKeys.forProject(projectId);
    const secretName = `datakey-${projectId.replace(/_/g, "-")}-${randomBytes(4).toString("hex")}`;
    await vault.services.secrets.set(secretName, key.toString("base64"));
    const { createdAt } = await keyRows.getEntity<{ createdAt: string }>(projectId, "current");
    await keyRows.upsertEntity({ partitionKey: projectId, rowKey: "current", secretName, createdAt }, "Replace");
    return { key, secretName };
  } finally {
    await vault.stop();
  }
}

describe("a data folder holding a data key unwrapped, from before keys were wrapped", () => {
  it("is upgraded on first start with one log line, purges the secret, and its staged data still decrypts", async () => {
    const image = new SourceImage("disk0", 3 * MiB);
    const before = await ferry();
    const r = await replicateAndStage(before.api, image);
    await before.stop();
    const { key, secretName } = await writeUnwrappedForm(r.projectId);
    expect(findLeaks(await storedTexts(storage, { withVault: true }), keyForms(key)).length).toBeGreaterThan(0);

    const upgraded = await ferry();
    const lines = upgraded.host
      .output()
      .split("\n")
      .filter((line) => line.includes(`project ${r.projectId} upgraded`));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(secretName);

    expect(findLeaks(await storedTexts(storage, { withVault: true }), keyForms(key))).toEqual([]);
    const row = await keyRows.getEntity<Record<string, unknown>>(r.projectId, "current");
    expect(row).toMatchObject({ wrapAlgorithm: "RSA-OAEP-256" });
    expect([row.secretName, row.retiredSecretName]).toEqual([undefined, undefined]);

    const agent = new AgentCalls(upgraded.api, r.credentials);
    const cycle = await agent.cycle<{ recoveryPointId: string }>(r.itemId, {
      cycleId: "after-upgrade",
      sourceTime: new Date().toISOString(),
      type: "CrashConsistent",
      disks: [{ diskId: "disk0", sequence: 2 }],
    });
    expect(cycle.status, cycle.text).toBe(200);
    const result = await verifyPoint(upgraded.api, r.projectId, r.itemId, cycle.body.recoveryPointId);
    expect(result.disks.map((disk) => disk.sha256)).toEqual([sha(image.read())]);

    await upgraded.stop();
    const again = await ferry();
    expect(again.host.output()).not.toContain(`project ${r.projectId} upgraded`);
  });
});

// Threat (defect 7): a project's data-encryption key readable from storage. The key was kept as a
// vault secret in the clear; now only its wrapped form is stored (a table row), wrapped by an RSA key
// that never leaves the vault, so no table row and no vault secret holds the key in any encoding.
import { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AgentCalls, batchBytes, setUpReplication, SourceImage } from "../support/dataPathSetup";
import { startFerry, type RunningFerry } from "../support/ferryApi";
import { keyForms, openLocalVault, type OpenedVault } from "../support/localVault";
import { findLeaks, storedTexts } from "../support/secretScan";

const storage = inject("storageConnectionString");
let ferry: RunningFerry;
let vault: OpenedVault;

beforeAll(async () => {
  ferry = await startFerry(storage, { env: { FERRY_APPLY_MODE: "deferred" } });
  vault = await openLocalVault(storage);
});
afterAll(async () => {
  await ferry?.stop();
  await vault?.stop();
});

describe("a project's data-encryption key", () => {
  it("is in no table row and no vault secret, as hex, base64 or base64url, once data is sealed with it", async () => {
    const image = new SourceImage("disk0", 2 * 1024 * 1024);
    const r = await setUpReplication(ferry.api, [{ id: "disk0", sizeBytes: image.sizeBytes, isBoot: true }]);
    const agent = new AgentCalls(ferry.api, r.credentials);
    const batch = await batchBytes(r.machineId, "disk0", 1, 1, image.extents());
    expect((await agent.putBatch(r.itemId, "disk0", 1, 1, batch)).status).toBe(200);

    const key = await vault.services.dataKeys.forProject(r.projectId);
    expect(key.length).toBe(32);

    expect(findLeaks(await storedTexts(storage, { withVault: true }), keyForms(key))).toEqual([]);
    const rows = TableClient.fromConnectionString(storage, "FerryDataKeys", { allowInsecureConnection: true });
    const stored = await rows.getEntity<Record<string, unknown>>(r.projectId, "current");
    expect(stored).toMatchObject({ wrapAlgorithm: "RSA-OAEP-256" });
    expect(String(stored.wrappingKeyId)).toMatch(/\/keys\/ferry-data-kek\/[0-9a-f]{32}$/);
    expect(Buffer.from(String(stored.wrapped), "base64").length).toBe(384);
    expect(stored.secretName).toBeUndefined();
  });
});

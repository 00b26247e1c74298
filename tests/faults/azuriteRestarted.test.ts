// Azurite stopped and started again while the agent replicates a busy source (an Azurite of its
// own, keeping its data on disk; stopped with SIGTERM, so it saves what it acknowledged — killed
// with SIGKILL, Azurite would lose its last seconds of writes, which Azure storage never does).
// Storage refuses every call while it is down; the host and the agent retry, nothing
// acknowledged is lost, and every recovery point verifies against the source.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { startAzurite, type EmbeddedAzurite } from "../../devhost/azurite/embedded";
import { FaultRig } from "../support/faultRig";
import { FaultSource } from "../support/faultSource";

const location = mkdtempSync(path.join(os.tmpdir(), "ferry-azurite-"));
let azurite: EmbeddedAzurite | undefined;
let rig: FaultRig | undefined;
let source: FaultSource | undefined;

afterAll(async () => {
  await source?.dispose();
  await rig?.stop();
  await azurite?.stop();
  rmSync(location, { recursive: true, force: true });
});

describe("Azurite restarted under load", { timeout: 240_000 }, () => {
  it("loses nothing the host acknowledged: the agent's batches go on after the restart and every point verifies", async () => {
    azurite = await startAzurite({ location });
    rig = await FaultRig.start({ storage: azurite.connectionString });
    source = await FaultSource.enroll(rig);
    await source.seeded();
    source.disks.startChurn(100, 16);
    // Stopped while a batch is being written to the cache.
    const item = source.enrolled.itemId;
    const writing = rig.storage.add("blob", {
      method: "PUT",
      path: new RegExp(`/cache/${item}/`),
      action: { kind: "pass" },
    });
    await writing.fired;
    await azurite.stop();
    const downAt = Date.now();
    await sleep(2000);
    azurite = await startAzurite({ location });
    rig.storage.retarget(azurite.connectionString);
    const resumed = await source.waitForItem((i) => Date.parse(i.lastRecoveryPointTime ?? "") > downAt + 2000, {
      timeoutMs: 120_000,
      what: "a recovery point made after the restart",
    });
    expect(resumed.migrationState).toBe("Replicating");
    const refused = Object.values(rig.storage.proxies).flatMap((proxy) =>
      proxy.seen.filter((seen) => seen.at > downAt && seen.at < downAt + 2000 && seen.status === undefined),
    );
    expect(refused.length, "storage calls failed while Azurite was down").toBeGreaterThan(0);
    await sleep(2000);
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(3);
  });
});

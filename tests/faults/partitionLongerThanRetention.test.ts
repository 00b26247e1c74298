// The agent cut off from the host (its requests go unanswered) for longer than the policy keeps
// recovery points: two hours pass on the clock the host and the agent share, against a one-hour
// retention. Meanwhile the item says what is wrong (Critical: heartbeat lost, no recent point),
// retention prunes every older point but never the newest, which still verifies. When the agent
// is back, replication resumes where it stopped — the server kept every acknowledged batch, so no
// resync is needed — health is Normal again, and every point verifies against the source.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { startAzurite, type EmbeddedAzurite } from "../../devhost/azurite/embedded";
import { eventually } from "../support/eventually";
import { FaultRig } from "../support/faultRig";
import { FaultSource, type GridItem } from "../support/faultSource";
import { expectPointsFromSource, listPoints, verifyEveryPoint } from "../support/pointChecks";
import { TestClock } from "../support/testClock";

const dir = mkdtempSync(path.join(os.tmpdir(), "ferry-partition-"));
const clock = TestClock.in(dir);
let azurite: EmbeddedAzurite | undefined;
let rig: FaultRig | undefined;
let source: FaultSource | undefined;

afterAll(async () => {
  await source?.dispose();
  await rig?.stop();
  await azurite?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const policy = {
  name: "short-retention",
  rpoThresholdMinutes: 5,
  recoveryPointRetentionHours: 1,
  crashConsistentFrequencyMinutes: 1,
  appConsistentFrequencyMinutes: 0,
};
const codes = (item: GridItem) => item.healthErrors.map((error) => error.code);
const HOUR = 3_600_000;

describe("a partition longer than retention", { timeout: 240_000 }, () => {
  it("shows what went wrong, keeps the newest point, and resumes without a resync when the agent is back", async () => {
    // An Azurite of its own: the maintenance pass this waits for walks every item in storage, and the
    // suite's shared Azurite holds every other file's items too.
    azurite = await startAzurite();
    rig = await FaultRig.start({ storage: azurite.connectionString, clock });
    source = await FaultSource.enroll(rig, { policy });
    await source.seeded();
    await source.disks.write(16);
    await source.caughtUp();

    rig.front.partition("blackhole");
    await sleep(500);
    const before = await listPoints(rig.api, source.itemPath);
    expect(before.length).toBeGreaterThanOrEqual(2);
    const statesBefore = source.disks.states.length;
    await source.disks.write(16);
    await clock.advance(2 * HOUR);
    const cutOff = await source.waitForItem((item) => codes(item).includes("AgentHeartbeatLost"), {
      what: "the item to say the agent is silent",
    });
    expect(cutOff.health).toBe("Critical");
    expect(codes(cutOff)).toContain("NoRecentRecoveryPoint");
    // The maintenance timer (every minute) prunes what retention no longer keeps, never the newest point.
    const kept = await eventually(
      () => listPoints(rig!.api, source!.itemPath),
      (points) => points.length === 1,
      { timeoutMs: 90_000, what: "retention to prune all but the newest point" },
    );
    expect(kept.map((point) => point.id)).toEqual([before.at(-1)!.id]);
    const newest = await verifyEveryPoint(rig.api, source.enrolled.projectId, source.enrolled.itemId);
    expectPointsFromSource(newest, source.disks.states.slice(0, statesBefore));

    rig.front.partition(undefined);
    const back = await source.waitForItem(
      (item) => item.health === "Normal" && Date.parse(item.lastRecoveryPointTime ?? "") > clock.now().getTime() - HOUR,
      { timeoutMs: 90_000, what: "a new point and Normal health" },
    );
    expect(back.resyncInProgress).toBe(false);
    expect(source.agent!.output()).not.toMatch(/resync|whole disk/i);
    await source.disks.write(16);
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(2);
  });
});

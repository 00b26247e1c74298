// A cloned agent in the middle of replication: the source's state directory (and the agent key in
// it) copied to another machine, whose agent starts while the source keeps writing. The clone is
// told apart by the machine facts its agent reports, refused with AgentCloned, and the item shows
// it; the source replicates on. Nothing acknowledged is lost and every point verifies against the
// source's own states, so nothing the clone read of its own disks reached the replica. The threat
// as such (a whole cloned VM too) is tests/security/clonedAgent.test.ts.
import { cpSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { readState, writeState } from "../../agent/state";
import { fastRunEnv, startAgent, writeSourceImage, type RunningAgent } from "../support/agentRunKit";
import { FaultRig } from "../support/faultRig";
import { FaultSource } from "../support/faultSource";
import { machineRoot } from "../support/machineRoot";

let rig: FaultRig;
let source: FaultSource | undefined;
let clone: RunningAgent | undefined;

beforeAll(async () => {
  rig = await FaultRig.start({ storage: inject("storageConnectionString") });
});
afterAll(async () => {
  await clone?.kill("SIGKILL");
  await source?.dispose();
  await rig?.stop();
});

/** The source's state copied to another machine: the same key, that machine's own disks, no hooks of the source. */
async function clonedState(from: FaultSource): Promise<string> {
  const copy = path.join(from.dir, "clone-state");
  cpSync(from.enrolled.stateDir, copy, { recursive: true });
  const state = readState(copy)!;
  const disks = [];
  for (const [i, disk] of state.disks.entries()) {
    const image = path.join(from.dir, `clone-${i}.img`);
    await writeSourceImage(image, from.disks.images[i]!.sizeBytes);
    disks.push({ ...disk, path: image });
  }
  const { freezeCommand: _freeze, thawCommand: _thaw, shutdownCommand: _shutdown, ...rest } = state;
  writeState(copy, { ...rest, disks });
  return copy;
}

describe("a cloned agent while the source replicates", { timeout: 180_000 }, () => {
  it("is refused with AgentCloned and shown on the item; the source loses nothing and every point verifies", async () => {
    source = await FaultSource.enroll(rig);
    const sourceRoot = machineRoot(source.dir, "root-source", {
      machineId: "a".repeat(32),
      bootId: "boot-of-the-source",
      hostname: "fault-source",
    });
    source.startAgent({ ...fastRunEnv, FERRY_AGENT_SYSTEM_ROOT: sourceRoot });
    await source.seeded();
    await source.disks.write(16);
    source.disks.startChurn();

    const cloneRoot = machineRoot(source.dir, "root-clone", {
      machineId: "b".repeat(32),
      bootId: "boot-of-the-clone",
      hostname: "fault-clone",
    });
    const seenBefore = rig.front.seen.length;
    clone = startAgent(await clonedState(source), { ...fastRunEnv, FERRY_AGENT_SYSTEM_ROOT: cloneRoot });
    expect(await clone.exited, clone.output()).toBe(1);
    expect(clone.output()).toMatch(/comes from another machine \(host 'fault-clone'\)/);
    expect(clone.output()).not.toMatch(/acked/);
    const refused = rig.front.seen.slice(seenBefore).filter((seen) => seen.status === 409);
    expect(refused.length, "the clone's refused requests").toBeGreaterThan(0);

    const flagged = await source.waitForItem((item) => item.healthErrors.some((e) => e.code === "AgentCloned"), {
      what: "the AgentCloned health error",
    });
    expect(flagged.health).toBe("Critical");
    expect(flagged.healthErrors.find((e) => e.code === "AgentCloned")?.message).toContain("fault-clone");

    await source.disks.write(16);
    expect(await source.expectNothingLost(), "points verified").toBeGreaterThanOrEqual(3);
  });
});

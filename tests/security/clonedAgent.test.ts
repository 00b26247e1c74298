// Threat: a cloned agent — the source's agent state (and so its key) copied to another machine,
// by a cloned VM or a copied state directory, both agents running. Two real agent processes
// share one state directory copy; each reads its machine's identity files from its own system
// root. The copy is refused with 409 AgentCloned, the item shows the health error with what to
// do, the copy's agent stops, and nothing it read reaches the replica: the next point verifies
// against the source's own disk.
import { cpSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { readMachinePrint } from "../../agent/machinePrint";
import { readState, writeState } from "../../agent/state";
import { removeTempDirs, tempDir } from "../support/agentCli";
import {
  enrollWithHost,
  fastRunEnv,
  MiB,
  startAgent,
  writeRandomBlocks,
  writeSourceImage,
  type RunningAgent,
} from "../support/agentRunKit";
import { verifyPoint } from "../support/dataPathSetup";
import { eventually } from "../support/eventually";
import { startFerry, type RunningFerry } from "../support/ferryApi";
import { machineRoot } from "../support/machineRoot";
import { sha256File } from "../support/replicaDisk";
import { StoredState } from "../support/storedState";

const SIZE = 2 * MiB;
let ferry: RunningFerry | undefined;
const agents: RunningAgent[] = [];

afterAll(async () => {
  for (const agent of agents) await agent.kill("SIGKILL");
  await ferry?.stop();
  removeTempDirs();
});

interface Item {
  migrationState: string;
  lastRecoveryPointTime?: string;
  health: string;
  healthErrors: { code: string; message: string; recommendedAction: string }[];
}

/** The source's state directory copied, as a clone carries it, reading the clone's own disk. */
async function copiedState(dir: string, stateDir: string, name: string): Promise<string> {
  const copy = path.join(dir, `state-${name}`);
  cpSync(stateDir, copy, { recursive: true });
  const image = path.join(dir, `${name}.img`);
  await writeSourceImage(image, SIZE);
  const state = readState(copy)!;
  writeState(copy, { ...state, disks: state.disks.map((disk) => ({ ...disk, path: image })) });
  return copy;
}

const run = (stateDir: string, root: string) => {
  const agent = startAgent(stateDir, { ...fastRunEnv, FERRY_AGENT_SYSTEM_ROOT: root });
  agents.push(agent);
  return agent;
};

describe("an agent key used from a second machine", () => {
  it("is refused with AgentCloned, shown on the item, and writes nothing into the replica", async () => {
    ferry = await startFerry(inject("storageConnectionString"), { env: { FERRY_CYCLE_INTERVAL_SECONDS: "1" } });
    const api = ferry.api;
    const dir = tempDir("ferry-cloned-");
    const image = path.join(dir, "source.img");
    await writeSourceImage(image, SIZE);
    const { stateDir, projectId, itemId, itemPath } = await enrollWithHost(api, ferry.host.origin, dir, image);
    const sourceFacts = { machineId: "1".repeat(32), bootId: "boot-of-the-source", hostname: "source-a" };
    const source = run(stateDir, machineRoot(dir, "root-a", sourceFacts));
    const item = () => api.expect<Item>(api.get(itemPath), 200);
    await eventually(item, (i) => i.migrationState === "Replicating" && i.lastRecoveryPointTime !== undefined, {
      timeoutMs: 60_000,
      what: "the source's first point",
    });

    // Another machine with the copied state: refused at its first request; its agent exits.
    const other = run(
      await copiedState(dir, stateDir, "other"),
      machineRoot(dir, "root-b", { machineId: "2".repeat(32), bootId: "boot-of-the-copy", hostname: "clone-b" }),
    );
    expect(await other.exited, other.output()).toBe(1);
    expect(other.output()).toMatch(/AgentCloned|another machine/);
    expect(other.output()).not.toMatch(/acked/);
    const flagged = await item();
    expect(flagged.health).toBe("Critical");
    const error = flagged.healthErrors.find((e) => e.code === "AgentCloned");
    expect(error?.message).toContain("clone-b");
    expect(error?.recommendedAction).toMatch(/stop the Ferry agent and delete its state directory/);

    // A VM cloned whole (the same machine id and hostname, its own boot): held as a new boot, then
    // refused once the source's own boot is heard meanwhile.
    const wholeRoot = machineRoot(dir, "root-c", { ...sourceFacts, bootId: "boot-of-the-whole-copy" });
    const whole = run(await copiedState(dir, stateDir, "whole"), wholeRoot);
    const stored = new StoredState(inject("storageConnectionString"));
    const machineId = readState(stateDir)!.machineId;
    await eventually(
      async () => JSON.parse(String((await stored.row("FerryAgents", machineId, "agent"))?.print ?? "{}")),
      (record: { clone?: { print: { boot?: string } } }) =>
        record.clone?.print.boot === readMachinePrint(wholeRoot).boot,
      { timeoutMs: 20_000, what: "the whole copy to be recognised" },
    );
    await whole.kill("SIGKILL");
    expect(whole.output()).not.toMatch(/acked/);

    // The source replicates on: a point cut after its next change is its own disk, byte for byte.
    const changedAt = new Date().toISOString();
    await writeRandomBlocks(image, [3, 100, 400]);
    const points = () =>
      api.expect<{ value: { id: string; time: string }[] }>(api.get(`${itemPath}/recovery-points`), 200);
    const after = await eventually(points, (list) => list.value.some((p) => p.time > changedAt), {
      timeoutMs: 30_000,
    });
    await source.kill("SIGTERM");
    const newest = after.value.find((p) => p.time > changedAt)!;
    const verified = await verifyPoint(api, projectId, itemId, newest.id);
    expect(verified.disks[0]?.sha256).toBe(await sha256File(image));
  }, 180_000);
});

// The real agent killed (SIGKILL) at precise points, found through the proxy between it and the
// host: half way through a batch's body, once the host acknowledged a batch but before the agent
// heard it (the agent never committed it), and once the host made a cycle's point but before the
// agent heard of it. The source keeps changing while the agent is down; the restarted agent
// picks up from its journal, nothing acknowledged is lost, and every point verifies.
import { describe, expect, it } from "vitest";
import type { FaultAction, SeenRequest } from "../support/faultProxy";
import type { FaultSource } from "../support/faultSource";
import { FaultSuite } from "../support/faultSuite";

const suite = FaultSuite.use();

/** Kills the source's agent when the proxy sees the matching request; resolves once it is dead. */
async function killAgentAt(
  source: FaultSource,
  method: string,
  path: RegExp,
  action: FaultAction,
): Promise<SeenRequest> {
  const agent = source.agent!;
  const armed = suite.rig.front.add({ method, path, action, onFire: () => void agent.child.kill("SIGKILL") });
  const seen = await armed.fired;
  await agent.exited;
  // The agent died inside the freeze its cycle holds; the hook that would thaw the source never runs.
  source.disks.thaw();
  return seen;
}

const batchOf = (source: FaultSource, diskId = "disk0") =>
  new RegExp(`/items/${source.enrolled.itemId}/disks/${diskId}/batches/\\d+/\\d+$`);

describe("an agent killed with SIGKILL", { timeout: 180_000 }, () => {
  it("half way through sending a batch: the host keeps nothing of it, and the restarted agent sends it whole", async () => {
    const source = await suite.seededSource();
    const killed = killAgentAt(source, "PUT", batchOf(source), { kind: "cutBody", bytes: 64 * 1024 });
    await source.disks.write(128);
    const cut = await killed;
    await source.disks.write(16);
    source.startAgent();
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(2);
    const again = suite.rig.front.seen.filter((seen) => seen.path === cut.path && seen.at > cut.at);
    expect(
      again.map((seen) => seen.status),
      "the host still expected that sequence",
    ).toContain(200);
  });

  it("once the host acknowledged a batch it never heard of: the restarted agent skips ahead and resends those blocks", async () => {
    const source = await suite.seededSource();
    const killed = killAgentAt(source, "PUT", batchOf(source), { kind: "loseResponse" });
    await source.disks.write(16);
    await killed;
    await source.disks.write(16);
    const agent = source.startAgent();
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(2);
    expect(agent.output()).toMatch(/disk0: the server holds batches up to \d+ that the journal missed/);
  });

  it("once the host made a cycle's point it never heard of: the point stands, and later cycles go on from it", async () => {
    const source = await suite.seededSource();
    const killed = killAgentAt(source, "POST", new RegExp(`/items/${source.enrolled.itemId}/cycles$`), {
      kind: "loseResponse",
    });
    await source.disks.write(16);
    await killed;
    await source.disks.write(16);
    source.startAgent();
    expect(await source.expectNothingLost()).toBeGreaterThanOrEqual(3);
  });
});

import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { useAgentBackend } from "../support/agentBackendFixture";
import { MiB, distinctBlocks, writeRandomBlocks, writeSourceImage } from "../support/agentRunKit";
import { sha256File, wipeReplica } from "../support/replicaDisk";

const SIZE = 16 * MiB + 3000;
const BLOCKS = Math.ceil(SIZE / 4096);

describe("agent run: crashes, gaps and retries", () => {
  const fixture = useAgentBackend("ferry-agent-recovery-");
  let image: string;

  beforeEach(async () => {
    image = path.join(fixture.dir, "source.img");
    await writeSourceImage(image, SIZE, [[4 * MiB, 6 * MiB]]);
  });

  const replicaMatches = async () =>
    expect(await sha256File(fixture.backend.replica().file)).toBe(await sha256File(image));
  const copied = () => fixture.backend.cycles.some((cycle) => cycle.initialCopyComplete);

  async function replicateUntilCopied(): Promise<string> {
    const { backend } = fixture;
    const stateDir = await fixture.register([image]);
    backend.controls = { ...backend.controls, action: "Replicate", cycleIntervalSeconds: 1 };
    fixture.start(stateDir);
    await backend.waitFor("the initial copy", copied);
    return stateDir;
  }

  it("resumes an initial copy killed with SIGKILL from its acknowledged position", async () => {
    const { backend } = fixture;
    const stateDir = await fixture.register([image]);
    backend.controls = { ...backend.controls, action: "Replicate", throttleBytesPerSecond: 6_000_000 };
    const agent = fixture.start(stateDir);
    await backend.waitFor("five acknowledged batches", () => backend.acked().length >= 5);
    await agent.kill("SIGKILL");
    const sentBefore = backend.wireBytes();
    const batchesBefore = backend.batches.length;
    backend.controls.throttleBytesPerSecond = undefined;
    fixture.start(stateDir);
    await backend.waitFor("the initial copy", copied);
    const sentAfter = backend.wireBytes(batchesBefore);
    expect(sentBefore).toBeGreaterThan(4 * MiB);
    expect(sentAfter).toBeLessThan(SIZE - 4 * MiB);
    expect(sentBefore + sentAfter).toBeLessThan(2 * SIZE);
    await replicaMatches();
  });

  it("skips ahead when the server already holds higher sequences (SequenceGap)", async () => {
    const { backend } = fixture;
    await replicateUntilCopied();
    let bumped = 0;
    backend.beforeBatch = (batch, double) => {
      if (bumped === 0) {
        bumped = batch.sequence + 5;
        double.replica().nextSequence = bumped;
      }
      return undefined;
    };
    const cycles = backend.cycles.length;
    await writeRandomBlocks(image, distinctBlocks(20, BLOCKS));
    await backend.waitFor("the renumbered batch", () => backend.acked().some((batch) => batch.sequence === bumped));
    // A cycle may have been scanning while the blocks were written; the one after it saw them all.
    await backend.waitFor("a cycle that began after the writes", () => backend.cycles.length >= cycles + 2);
    expect(backend.batches.filter((batch) => batch.status === 409)).toHaveLength(1);
    expect(backend.cycles.at(-1)?.disks[0]?.sequence).toBeGreaterThanOrEqual(bumped);
    await replicaMatches();
  });

  it("sends the whole disk again when the server lost acknowledged batches (SequenceGap below the journal)", async () => {
    const { backend } = fixture;
    await replicateUntilCopied();
    let wiped = false;
    backend.beforeBatch = async (_batch, double) => {
      if (!wiped) {
        wiped = true;
        await wipeReplica(double.replica(), 1);
      }
      return undefined;
    };
    await writeRandomBlocks(image, distinctBlocks(20, BLOCKS));
    await backend.waitFor("the resend", () => wiped && backend.replica().nextSequence > 3);
    const cycles = backend.cycles.length;
    await backend.waitFor("the next cycle", () => backend.cycles.length > cycles + 1);
    await replicaMatches();
    expect(fixture.agent?.output()).toMatch(/acknowledged batches were lost/);
  });

  it("waits as long as Retry-After asks after a 503, then delivers the batch", async () => {
    const { backend } = fixture;
    const stateDir = await fixture.register([image]);
    let refused = false;
    backend.beforeBatch = () => {
      if (refused) return undefined;
      refused = true;
      return { status: 503, headers: { "retry-after": "2" }, body: { error: { code: "ServerBusy", message: "busy" } } };
    };
    backend.controls.action = "Replicate";
    fixture.start(stateDir);
    await backend.waitFor("the initial copy", copied);
    const [first, second] = backend.batches;
    expect(first?.status).toBe(503);
    expect(second?.sequence).toBe(first?.sequence);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1900);
    await replicaMatches();
  });
});

import path from "node:path";
import { describe, expect, it } from "vitest";
import { useAgentBackend } from "../support/agentBackendFixture";
import { MiB, distinctBlocks, writeRandomBlocks, writeSourceImage } from "../support/agentRunKit";
import { sha256File } from "../support/replicaDisk";

const SIZE = 6 * MiB + 1000;

describe("agent run: initial copy and delta cycles", () => {
  const fixture = useAgentBackend("ferry-agent-run-");

  it("copies an image with zero regions and an odd size byte for byte, zeros as zero runs", async () => {
    const { backend, dir } = fixture;
    const image = path.join(dir, "source.img");
    await writeSourceImage(image, SIZE, [
      [MiB, 3 * MiB + 123],
      [5 * MiB, 5 * MiB + 8192],
    ]);
    const stateDir = await fixture.register([image]);
    backend.controls.action = "Replicate";
    fixture.start(stateDir);
    await backend.waitFor("the initial copy's cycle", () => backend.cycles.some((cycle) => cycle.initialCopyComplete));
    expect(await sha256File(backend.replica().file)).toBe(await sha256File(image));
    const dataBytes = backend.acked().reduce((sum, batch) => sum + batch.dataBytes, 0);
    expect(dataBytes).toBeLessThanOrEqual(SIZE - 2 * MiB);
    expect(backend.cycles[0]?.type).toBe("Inconsistent");
  });

  it("sends only the changed blocks in a delta cycle", async () => {
    const { backend, dir } = fixture;
    const image = path.join(dir, "source.img");
    await writeSourceImage(image, SIZE, [[2 * MiB, 4 * MiB]]);
    const stateDir = await fixture.register([image]);
    backend.controls = { ...backend.controls, action: "Replicate", cycleIntervalSeconds: 1 };
    fixture.start(stateDir);
    await backend.waitFor("the first delta cycle", () => backend.cycles.length >= 2);
    const changed = await writeRandomBlocks(image, distinctBlocks(60, Math.ceil(SIZE / 4096)));
    const before = { batches: backend.batches.length, cycles: backend.cycles.length };
    await backend.waitFor("a cycle after the writes", () => backend.cycles.length >= before.cycles + 2);
    expect(await sha256File(backend.replica().file)).toBe(await sha256File(image));
    expect(backend.wireBytes(before.batches)).toBeLessThanOrEqual(1.3 * changed);
    expect(backend.wireBytes(before.batches)).toBeGreaterThanOrEqual(changed);
  });
});

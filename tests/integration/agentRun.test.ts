import { rm } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AgentBackendDouble } from "../support/agentBackendDouble";
import { tempDir } from "../support/agentCli";
import {
  MiB,
  TEST_PASSPHRASE,
  distinctBlocks,
  registerAgent,
  startAgent,
  writeRandomBlocks,
  writeSourceImage,
  type RunningAgent,
} from "../support/agentRunKit";
import { sha256File } from "../support/replicaDisk";

const SIZE = 6 * MiB + 1000;

describe("agent run: initial copy and delta cycles", () => {
  let dir: string;
  let backend: AgentBackendDouble;
  let agent: RunningAgent | undefined;

  beforeEach(async () => {
    dir = tempDir("ferry-agent-run-");
    backend = await AgentBackendDouble.start(dir, TEST_PASSPHRASE);
  });

  afterEach(async () => {
    await agent?.kill("SIGKILL");
    await backend.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("copies an image with zero regions and an odd size byte for byte, zeros as zero runs", async () => {
    const image = path.join(dir, "source.img");
    await writeSourceImage(image, SIZE, [
      [MiB, 3 * MiB + 123],
      [5 * MiB, 5 * MiB + 8192],
    ]);
    const stateDir = await registerAgent(backend, dir, [image]);
    backend.controls.action = "Replicate";
    agent = startAgent(stateDir);
    await backend.waitFor("the initial copy's cycle", () => backend.cycles.some((cycle) => cycle.initialCopyComplete));
    expect(await sha256File(backend.replica().file)).toBe(await sha256File(image));
    const dataBytes = backend.acked().reduce((sum, batch) => sum + batch.dataBytes, 0);
    expect(dataBytes).toBeLessThanOrEqual(SIZE - 2 * MiB);
    expect(backend.cycles[0]?.type).toBe("Inconsistent");
  });

  it("sends only the changed blocks in a delta cycle", async () => {
    const image = path.join(dir, "source.img");
    await writeSourceImage(image, SIZE, [[2 * MiB, 4 * MiB]]);
    const stateDir = await registerAgent(backend, dir, [image]);
    backend.controls = { ...backend.controls, action: "Replicate", cycleIntervalSeconds: 1 };
    agent = startAgent(stateDir);
    await backend.waitFor("the first delta cycle", () => backend.cycles.length >= 2);
    const changed = await writeRandomBlocks(image, distinctBlocks(60, Math.ceil(SIZE / 4096)));
    const before = { batches: backend.batches.length, cycles: backend.cycles.length };
    await backend.waitFor("a cycle after the writes", () => backend.cycles.length >= before.cycles + 2);
    expect(await sha256File(backend.replica().file)).toBe(await sha256File(image));
    expect(backend.wireBytes(before.batches)).toBeLessThanOrEqual(1.3 * changed);
    expect(backend.wireBytes(before.batches)).toBeGreaterThanOrEqual(changed);
  });
});

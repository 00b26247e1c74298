import { randomBytes } from "node:crypto";
import { open } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useAgentBackend } from "../support/agentBackendFixture";
import { MiB } from "../support/agentRunKit";
import { sha256File } from "../support/replicaDisk";
import { peakRssBytes } from "./devhostClient";

/** The bound for the agent, whatever the disk size and backlog. */
const RSS_BOUND_BYTES = 150 * MiB;
const SIZE = 384 * MiB;

/** Every other 4 KiB block random, the rest zero: the most extents per byte, as sustained random writes make. */
async function writeScatteredImage(file: string, sizeBytes: number): Promise<void> {
  const handle = await open(file, "w");
  try {
    const piece = Buffer.alloc(4 * MiB);
    for (let at = 0; at < sizeBytes; at += piece.length) {
      for (let block = 0; block < piece.length; block += 8192) randomBytes(4096).copy(piece, block);
      await handle.write(piece, 0, piece.length, at);
    }
  } finally {
    await handle.close();
  }
}

describe("agent run: bounded memory", () => {
  const fixture = useAgentBackend("ferry-agent-memory-");

  it("stays under 150 MiB resident while sending full batches of scattered 4 KiB extents", async () => {
    const { backend, dir } = fixture;
    const image = path.join(dir, "scattered.img");
    await writeScatteredImage(image, SIZE);
    const stateDir = await fixture.register([image]);
    backend.controls.action = "Replicate";
    // The default 64 MiB batches: what a batch holds until its ack is what this bounds.
    const agent = fixture.start(stateDir, { FERRY_AGENT_HEARTBEAT_MS: "100" });
    await backend.waitFor("the initial copy's cycle", () => backend.cycles.some((cycle) => cycle.initialCopyComplete));
    const peak = peakRssBytes(agent.child.pid ?? 0);
    expect(backend.acked().length).toBeGreaterThanOrEqual(3);
    expect(await sha256File(backend.replica().file)).toBe(await sha256File(image));
    expect(peak).toBeLessThan(RSS_BOUND_BYTES);
  });
});

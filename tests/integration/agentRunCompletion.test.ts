// A migration completed before the agent heard Stop (here: the agent frozen with SIGSTOP while the
// operator migrates and completes): its key is revoked, so it can send nothing, but it is told
// why and stops cleanly — exit 0 — instead of failing on "Unknown agent".
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { splitAgentKey } from "../../agent/signedClient";
import { readState } from "../../agent/state";
import { removeTempDirs, tempDir } from "../support/agentCli";
import { enrollWithHost, MiB, startAgent, writeSourceImage, type RunningAgent } from "../support/agentRunKit";
import { AgentCalls, batchBytes } from "../support/dataPathSetup";
import { eventually } from "../support/eventually";
import { startFerry, waitForJob, type ApiError, type RunningFerry } from "../support/ferryApi";

let ferry: RunningFerry | undefined;
let agent: RunningAgent | undefined;

afterAll(async () => {
  agent?.child.kill("SIGCONT");
  await agent?.kill("SIGKILL");
  await ferry?.stop();
  removeTempDirs();
});

describe("an agent whose migration was completed before it heard Stop", () => {
  it("is refused any data, hears that its machine's replication was removed, and exits 0", async () => {
    ferry = await startFerry(inject("storageConnectionString"), { env: { FERRY_CYCLE_INTERVAL_SECONDS: "1" } });
    const api = ferry.api;
    const dir = tempDir("ferry-completed-");
    const image = path.join(dir, "source.img");
    await writeSourceImage(image, 2 * MiB);
    const { stateDir, projectId, itemPath } = await enrollWithHost(api, ferry.host.origin, dir, image);
    agent = startAgent(stateDir);
    await eventually(
      () => api.expect<{ migrationState: string; lastRecoveryPointTime?: string }>(api.get(itemPath), 200),
      (item) => item.migrationState === "Replicating" && item.lastRecoveryPointTime !== undefined,
      { timeoutMs: 60_000, what: "the first point" },
    );

    agent.child.kill("SIGSTOP");
    for (const [operation, body] of [
      ["migrate", { shutdownSource: false }],
      ["complete", {}],
    ] as const) {
      const { job } = await api.expect<{ job: { id: string } }>(api.post(`${itemPath}/${operation}`, body), 202);
      expect((await waitForJob(api, projectId, job.id)).state, operation).toBe("Succeeded");
    }

    // The revoked key sends nothing: a batch signed with it is refused before its body is read.
    const credentials = splitAgentKey(readState(stateDir)!.agentKey);
    const itemId = itemPath.split("/").at(-1)!;
    const batch = await batchBytes(credentials.machineId, "disk0", 1, 99, [{ kind: "zero", offset: 0, length: MiB }]);
    const refused = await new AgentCalls(api, credentials).putBatch<ApiError>(itemId, "disk0", 1, 99, batch);
    expect([refused.status, refused.body.error.code]).toEqual([410, "AgentRetired"]);

    agent.child.kill("SIGCONT");
    const code = await Promise.race([
      agent.exited,
      new Promise((resolve) => setTimeout(() => resolve("timeout"), 30_000)),
    ]);
    expect(code, agent.output()).toBe(0);
    expect(agent.output()).toMatch(/migration is complete/);
    expect(agent.output()).not.toMatch(/Unknown agent/);
  }, 120_000);
});

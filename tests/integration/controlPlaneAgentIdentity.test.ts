// Agent enrollment over time: registering the same machine again, with the real CLI.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  diskImages,
  passphraseFile,
  registerWithCli,
  removeTempDirs,
  tempDir,
  uniqueHostname,
} from "../support/agentCli";
import { setUpProject, startFerry, type ProjectSetUp, type RunningFerry } from "../support/ferryApi";

let ferry: RunningFerry;
beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"));
});
afterAll(async () => {
  await ferry?.stop();
  removeTempDirs();
});

const mib = 1024 * 1024;

interface MachineBody {
  id: string;
  hostname: string;
  disks: { id: string; sizeBytes: number; isBoot: boolean }[];
  discoveredAt: string;
  updatedAt: string;
}

async function machines(project: ProjectSetUp): Promise<MachineBody[]> {
  return (
    await ferry.api.expect<{ value: MachineBody[] }>(ferry.api.get(`/projects/${project.projectId}/machines`), 200)
  ).value;
}

/** A project and one machine registered by the CLI from `stateDir`. */
async function projectWithAgent(dir: string, hostname: string) {
  const project = await setUpProject(ferry.api);
  const args = {
    server: `${ferry.host.origin}/api`,
    passphraseFile: passphraseFile(dir, project.passphrase),
    stateDir: path.join(dir, "state-a"),
    hostname,
  };
  const first = await registerWithCli({ ...args, disks: diskImages(dir, [32 * mib, 3 * mib + 1]) });
  expect(first.stderr).toBe("");
  return { project, args, machineId: first.stdout.trim(), agentKey: first.state?.agentKey ?? "" };
}

describe("registering the same machine again", () => {
  it("updates the machine's facts instead of adding a second machine", async () => {
    const dir = tempDir();
    const { project, args, machineId } = await projectWithAgent(dir, uniqueHostname());
    const [before] = await machines(project);
    const again = await registerWithCli({ ...args, disks: diskImages(dir, [48 * mib, 3 * mib + 1, 5 * mib + 7]) });
    expect([again.code, again.stdout.trim()]).toEqual([0, machineId]);
    const after = await machines(project);
    expect(after).toHaveLength(1);
    expect(after[0].disks).toEqual([
      { id: "disk0", sizeBytes: 48 * mib, isBoot: true },
      { id: "disk1", sizeBytes: 3 * mib + 1, isBoot: false },
      { id: "disk2", sizeBytes: 5 * mib + 7, isBoot: false },
    ]);
    expect(after[0].discoveredAt).toBe(before.discoveredAt);
    expect(Date.parse(after[0].updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
  });
});

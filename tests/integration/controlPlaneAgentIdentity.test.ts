// Agent enrollment over time: re-registration, identity claims and passphrase rotation, with the real CLI.
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
import {
  facts,
  secretPart,
  setUpProject,
  startFerry,
  type ApiError,
  type ProjectSetUp,
  type RunningFerry,
} from "../support/ferryApi";
import { findLeaks, storedTexts } from "../support/secretScan";

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

  it("refuses a second agent that claims the registered machine's identity with 409 MachineIdentityConflict", async () => {
    const dir = tempDir();
    const hostname = uniqueHostname();
    const { project, args, machineId } = await projectWithAgent(dir, hostname);
    const clone = await registerWithCli({
      ...args,
      stateDir: path.join(dir, "state-b"),
      disks: diskImages(dir, [32 * mib]),
    });
    expect(clone.code).toBe(1);
    expect(clone.stderr).toMatch(/^MachineIdentityConflict: .*already registered as '(mch_\w+)'/);
    expect(clone.state).toBeUndefined();
    const direct = await ferry.api.post<ApiError>(
      "/agent/register",
      { passphrase: project.passphrase, machine: facts(hostname) },
      { authorization: null },
    );
    expect([direct.status, direct.body.error.code, direct.body.error.target]).toEqual([
      409,
      "MachineIdentityConflict",
      "machine",
    ]);
    expect((await machines(project)).map((m) => m.id)).toEqual([machineId]);
  });
});

describe("rotating the appliance passphrase", () => {
  it("refuses the old passphrase for new agents while registered agents keep working", async () => {
    const dir = tempDir();
    const { project, args, machineId, agentKey } = await projectWithAgent(dir, uniqueHostname());
    const rotated = await ferry.api.expect<{ passphrase: string }>(
      ferry.api.post(`/projects/${project.projectId}/appliances/${project.applianceId}/passphrase`),
      200,
    );
    expect(rotated.passphrase).not.toBe(project.passphrase);

    const stale = await ferry.api.post<ApiError>(
      "/agent/register",
      { passphrase: project.passphrase, machine: facts(uniqueHostname()) },
      { authorization: null },
    );
    expect([stale.status, stale.body.error.code]).toEqual([401, "InvalidPassphrase"]);
    const staleCli = await registerWithCli({
      ...args,
      stateDir: path.join(dir, "state-new"),
      hostname: uniqueHostname(),
      disks: diskImages(dir, [mib]),
    });
    expect([staleCli.code, staleCli.stderr.split(":")[0]]).toEqual([1, "InvalidPassphrase"]);

    // The registered agent still holds only the old passphrase file: its own key signs it in.
    const kept = await registerWithCli({ ...args, disks: diskImages(dir, [32 * mib]) });
    expect([kept.code, kept.stdout.trim(), kept.state?.agentKey]).toEqual([0, machineId, agentKey]);

    const fresh = await ferry.api.post<{ machineId: string }>(
      "/agent/register",
      { passphrase: rotated.passphrase, machine: facts(uniqueHostname()) },
      { authorization: null },
    );
    expect(fresh.status).toBe(201);
    expect((await machines(project)).map((m) => m.id).sort()).toEqual([machineId, fresh.body.machineId].sort());

    const secrets = {
      oldPassphrase: secretPart(project.passphrase),
      newPassphrase: secretPart(rotated.passphrase),
      agentKey: secretPart(agentKey),
    };
    const places = [
      ...(await storedTexts(inject("storageConnectionString"))),
      { where: "host output", text: ferry.host.output() },
      ...ferry.api.errorTexts.map((text, i) => ({ where: `error body ${i}`, text })),
    ];
    expect(findLeaks(places, secrets)).toEqual([]);
  });
});

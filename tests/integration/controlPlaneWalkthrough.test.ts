// The set-up walk-through of docs/lifecycle.md §1 (steps 1-6) over real HTTP, with the real agent CLI.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { applianceSchema } from "../../shared/api/appliances";
import { jobSchema } from "../../shared/api/jobs";
import { machineSchema } from "../../shared/api/machines";
import { policySchema } from "../../shared/api/policies";
import { projectSchema } from "../../shared/api/projects";
import { enableReplicationResponse, replicatingServerSchema } from "../../shared/api/replications";
import { taskNames } from "../../shared/domain/jobTasks";
import {
  diskImages,
  passphraseFile,
  registerWithCli,
  removeTempDirs,
  tempDir,
  uniqueHostname,
} from "../support/agentCli";
import {
  secretPart,
  startFerry,
  target,
  waitForJob,
  type ApiError,
  type JobBody,
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

const day = 24 * 60 * 60 * 1000;
const bootSize = 64 * 1024 * 1024;
const oddSize = 10 * 1024 * 1024 + 12345;

interface ReplicatingServerBody {
  id: string;
  migrationState: string;
  allowedOperations: string[];
  target: { vmSize: string; resourceGroup: string };
  disks: { diskId: string; bytesReplicated: number }[];
}

describe("setting up replication from an empty project", () => {
  const s = {
    projectId: "",
    key: "",
    applianceId: "",
    passphrase: "",
    machineId: "",
    agentKey: "",
    policyId: "",
    itemId: "",
    jobId: "",
    hostname: uniqueHostname(),
  };
  const dir = tempDir();
  const api = () => ferry.api;

  it("creates a project, lists it and gets it", async () => {
    const created = await api().expect<{ id: string }>(
      api().post("/projects", { name: "walkthrough", geography: "Europe", targetRegion: "westeurope" }),
      201,
    );
    expect(projectSchema.safeParse(created).success).toBe(true);
    s.projectId = created.id;
    const list = await api().expect<{ value: { id: string }[] }>(api().get("/projects"), 200);
    expect(list.value.map((p) => p.id)).toContain(s.projectId);
    expect(await api().expect(api().get(`/projects/${s.projectId}`), 200)).toMatchObject({
      id: s.projectId,
      name: "walkthrough",
      targetRegion: "westeurope",
    });
  });

  it("issues a registration key valid for five days", async () => {
    const before = Date.now();
    const reply = await api().expect<{ key: string; expiresAt: string }>(
      api().post(`/projects/${s.projectId}/registration-keys`),
      201,
    );
    expect(Math.abs(Date.parse(reply.expiresAt) - (before + 5 * day))).toBeLessThan(60_000);
    s.key = reply.key;
  });

  it("registers the appliance with the key and returns its passphrase once", async () => {
    const reply = await api().expect<{ applianceId: string; projectId: string; passphrase: string }>(
      api().post("/appliances", { registrationKey: s.key, name: "appliance1" }, { authorization: null }),
      201,
    );
    expect(reply.projectId).toBe(s.projectId);
    expect(reply.passphrase.length).toBeGreaterThan(32);
    Object.assign(s, { applianceId: reply.applianceId, passphrase: reply.passphrase });
    const listed = await api().expect<{ value: object[] }>(api().get(`/projects/${s.projectId}/appliances`), 200);
    expect(JSON.stringify(listed)).not.toContain(secretPart(s.passphrase));
  });

  it("refuses agents until the appliance is finalized, then lists it as Finalized", async () => {
    const early = await api().post<ApiError>(
      "/agent/register",
      {
        passphrase: s.passphrase,
        machine: {
          hostname: "early",
          os: "Linux",
          osVersion: "1",
          cpus: 1,
          memoryMiB: 1,
          disks: [{ id: "disk0", sizeBytes: 512, isBoot: true }],
          nics: [],
        },
      },
      { authorization: null },
    );
    expect([early.status, early.body.error.code]).toEqual([409, "ApplianceNotFinalized"]);
    await api().expect(api().post(`/projects/${s.projectId}/appliances/${s.applianceId}/finalize`), 200);
    const list = await api().expect<{ value: { id: string; state: string }[] }>(
      api().get(`/projects/${s.projectId}/appliances`),
      200,
    );
    expect(list.value).toEqual([expect.objectContaining({ id: s.applianceId, state: "Finalized" })]);
    expect(list.value.every((a) => applianceSchema.safeParse(a).success)).toBe(true);
  });

  it("registers the agent with the CLI and shows the machine's facts under discovered servers", async () => {
    const disks = diskImages(dir, [bootSize, oddSize]);
    const run = await registerWithCli({
      server: `${ferry.host.origin}/api`,
      passphraseFile: passphraseFile(dir, s.passphrase),
      stateDir: `${dir}/state`,
      disks,
      hostname: s.hostname,
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    s.machineId = run.stdout.trim();
    s.agentKey = run.state?.agentKey ?? "";
    const list = await api().expect<{ value: Record<string, unknown>[] }>(
      api().get(`/projects/${s.projectId}/machines`),
      200,
    );
    expect(list.value).toHaveLength(1);
    const machine = list.value[0];
    expect(machineSchema.safeParse(machine).error).toBeUndefined();
    expect(machine).toMatchObject({
      id: s.machineId,
      hostname: s.hostname,
      os: expect.any(String),
      osVersion: expect.any(String),
    });
    expect(machine.cpus).toBeGreaterThan(0);
    expect(machine.memoryMiB).toBeGreaterThan(0);
    expect(machine.disks).toEqual([
      { id: "disk0", sizeBytes: bootSize, isBoot: true },
      { id: "disk1", sizeBytes: oddSize, isBoot: false },
    ]);
    expect(Array.isArray(machine.nics)).toBe(true);
    expect(await api().expect(api().get(`/projects/${s.projectId}/machines/${s.machineId}`), 200)).toEqual(machine);
  });

  it("offers a default policy and creates another", async () => {
    const list = await api().expect<{ value: { id: string; name: string }[] }>(
      api().get(`/projects/${s.projectId}/policies`),
      200,
    );
    expect(list.value).toEqual([expect.objectContaining({ name: "default", rpoThresholdMinutes: 60 })]);
    const body = {
      name: "gold",
      rpoThresholdMinutes: 15,
      recoveryPointRetentionHours: 24,
      crashConsistentFrequencyMinutes: 5,
      appConsistentFrequencyMinutes: 60,
    };
    const created = await api().expect<{ id: string }>(api().post(`/projects/${s.projectId}/policies`, body), 201);
    expect(policySchema.safeParse(created).error).toBeUndefined();
    expect(created).toMatchObject(body);
    s.policyId = created.id;
    const after = await api().expect<{ value: { id: string }[] }>(api().get(`/projects/${s.projectId}/policies`), 200);
    expect(after.value.map((p) => p.id)).toContain(s.policyId);
  });

  it("starts replication with 202, the item, its job and a Location to poll", async () => {
    const reply = await api().post<{ item: { id: string; migrationState: string }; job: JobBody }>(
      `/projects/${s.projectId}/replications`,
      { machineId: s.machineId, policyId: s.policyId, target: { ...target, vmSize: "auto" } },
    );
    expect(reply.status).toBe(202);
    expect(enableReplicationResponse.safeParse(reply.body).error).toBeUndefined();
    expect(reply.body.item.migrationState).toBe("EnableMigrationInProgress");
    s.itemId = reply.body.item.id;
    s.jobId = reply.body.job.id;
    expect(reply.headers.get("location")).toBe(`/api/projects/${s.projectId}/jobs/${s.jobId}`);
  });

  it("runs the Start replication job to Succeeded through the five Site Recovery tasks in order", async () => {
    const job = await waitForJob(api(), s.projectId, s.jobId);
    expect(jobSchema.safeParse(job).error).toBeUndefined();
    expect(job.state).toBe("Succeeded");
    expect(job.progress).toBe(100);
    expect(job.tasks.map((t) => t.name)).toEqual([...taskNames.enable]);
    expect(job.tasks.every((t) => t.state === "Succeeded")).toBe(true);
    const ends = job.tasks.map((t) => Date.parse(t.endTime ?? ""));
    expect(ends).toEqual([...ends].sort((a, b) => a - b));
    const listed = await api().expect<{ value: { id: string }[] }>(
      api().get(`/projects/${s.projectId}/jobs?itemId=${s.itemId}`),
      200,
    );
    expect(listed.value.map((j) => j.id)).toEqual([s.jobId]);
  });

  it("shows the item seeding, with what is allowed now and every grid column", async () => {
    const grid = await api().expect<{ value: Record<string, unknown>[] }>(
      api().get(`/projects/${s.projectId}/replicating-servers`),
      200,
    );
    expect(grid.value).toHaveLength(1);
    const row = grid.value[0];
    expect(replicatingServerSchema.safeParse(row).error).toBeUndefined();
    expect(row).toMatchObject({
      id: s.itemId,
      migrationState: "InitialSeedingInProgress",
      testMigrateState: "None",
      allowedOperations: ["PauseReplication", "DisableMigration"],
    });
    for (const column of [
      "migrationState",
      "testMigrateState",
      "allowedOperations",
      "health",
      "healthErrors",
      "initialSeedingProgress",
      "disks",
    ])
      expect(row).toHaveProperty(column);
    // No byte has been replicated (the data path is not here yet): no point, so these optional columns are absent.
    for (const column of ["lastRecoveryPointTime", "rpoSeconds"]) expect(row).not.toHaveProperty(column);
    for (const disk of row.disks as Record<string, unknown>[])
      expect(disk).toMatchObject({ bytesReplicated: 0, uploadBytesPerSecond: 0 });
    expect(await api().expect(api().get(`/projects/${s.projectId}/replicating-servers/${s.itemId}`), 200)).toEqual(row);
  });

  it("changes target settings before replication has started", async () => {
    const reply = await api().expect<ReplicatingServerBody>(
      api().patch(`/projects/${s.projectId}/replicating-servers/${s.itemId}`, {
        target: { resourceGroup: "rg-other", vmSize: "Standard_D4s_v5" },
      }),
      200,
    );
    expect(reply.target).toMatchObject({ resourceGroup: "rg-other", vmSize: "Standard_D4s_v5" });
    const again = await api().expect<ReplicatingServerBody>(
      api().get(`/projects/${s.projectId}/replicating-servers/${s.itemId}`),
      200,
    );
    expect(again.target.resourceGroup).toBe("rg-other");
  });

  it("publishes an OpenAPI 3.1 document with the operator API's paths, without a key", async () => {
    const doc = await api().expect<{ openapi: string; paths: Record<string, object> }>(
      api().get("/openapi.json", { authorization: null }),
      200,
    );
    expect(doc.openapi).toMatch(/^3\.1\./);
    const p = "/projects/{projectId}";
    const item = `${p}/replicating-servers/{itemId}`;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/projects",
        p,
        `${p}/registration-keys`,
        "/appliances",
        `${p}/appliances`,
        `${p}/appliances/{applianceId}/finalize`,
        `${p}/appliances/{applianceId}/passphrase`,
        "/agent/register",
        `${p}/machines`,
        `${p}/machines/{machineId}`,
        `${p}/policies`,
        `${p}/replications`,
        `${p}/replicating-servers`,
        item,
        `${item}/recovery-points`,
        `${item}/test-migrate`,
        `${item}/migrate`,
        `${p}/jobs`,
        `${p}/jobs/{jobId}`,
        "/health",
        "/openapi.json",
      ]),
    );
  });

  it("reports health without a key: storage and vault reachable, versions", async () => {
    const health = await api().expect<Record<string, unknown>>(api().get("/health", { authorization: null }), 200);
    expect(health).toMatchObject({
      status: "Healthy",
      storage: { reachable: true },
      keyVault: { reachable: true },
      versions: { ferry: expect.any(String), node: process.versions.node },
    });
  });

  it("never writes a secret of the walk-through to a table, the host log or an error body", async () => {
    const secrets = {
      registrationKey: secretPart(s.key),
      passphrase: secretPart(s.passphrase),
      agentKey: secretPart(s.agentKey),
      operatorKey: api().operatorKey,
    };
    expect(Object.values(secrets).every((v) => v.length >= 32)).toBe(true);
    const places = [
      ...(await storedTexts(inject("storageConnectionString"))),
      { where: "host output", text: ferry.host.output() },
      ...api().errorTexts.map((text, i) => ({ where: `error body ${i}`, text })),
    ];
    expect(findLeaks(places, secrets)).toEqual([]);
  });
});

// README's "A first migration", through the `ferry` bin only (the real CLI as child processes), a
// real host and the real agent on disk image files: every JSON answer parsed with the API's schema,
// every disk compared with its source.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { agentProcess, exitOf, makeImage, sha256OfFile, type SourceDiskImage } from "../../demo/sourceMachine";
import { jobSchema } from "../../shared/api/jobs";
import { machineSchema } from "../../shared/api/machines";
import { recoveryPointSchema } from "../../shared/api/operations";
import { replicatingServerSchema } from "../../shared/api/replications";
import { virtualMachineSchema } from "../../shared/api/virtualMachines";
import { createStores } from "../../shared/storage/stores";
import { removeTempDirs, tempDir } from "../support/agentCli";
import { startFerry, type RunningFerry } from "../support/ferryApi";
import { FerryCli } from "../support/ferryCli";
import { repoRoot } from "../support/hostProcess";

let ferry: RunningFerry;
let cli: FerryCli;
let work: string;
let disks: SourceDiskImage[];
const agents: ReturnType<typeof agentProcess>[] = [];

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"), {
    env: { FERRY_CYCLE_INTERVAL_SECONDS: "2", FERRY_FINAL_SYNC_TIMEOUT_SECONDS: "120" },
  });
  work = tempDir("ferry-cli-tutorial-");
  cli = new FerryCli({ ...process.env, FERRY_CONFIG_DIR: path.join(work, "config"), FERRY_OPERATOR_KEY: "" });
  disks = [makeImage(path.join(work, "disk0.img"), "disk0", 8), makeImage(path.join(work, "disk1.img"), "disk1", 1)];
});

afterAll(async () => {
  for (const agent of agents) if (agent.exitCode === null) agent.kill("SIGTERM");
  await Promise.all(agents.map(exitOf));
  await ferry?.stop();
  removeTempDirs();
});

const sha256OfPrefix = (file: string, bytes: number) => {
  const copy = `${file}.prefix`;
  fs.copyFileSync(file, copy);
  fs.truncateSync(copy, bytes);
  return sha256OfFile(copy);
};

/** The source's shutdown command waits for the test's go-ahead, as a real shutdown takes its time. */
const shutdown = () => ({
  requested: path.join(work, "shutdown.requested"),
  allowed: path.join(work, "shutdown.allowed"),
});

describe("the first migration, with ferry only", () => {
  it("logs in, sets up the project and appliance, and writes the passphrase only to its file", async () => {
    const login = await cli.run(["login", "--server", ferry.api.origin, "--key", ferry.api.operatorKey]);
    expect(login.code, login.stderr).toBe(0);
    expect(fs.statSync(path.join(work, "config", "config.json")).mode & 0o777).toBe(0o600);
    expect(
      (
        await cli.run([
          "project",
          "create",
          "--name",
          "tutorial",
          "--geography",
          "Europe",
          "--target-region",
          "westeurope",
        ])
      ).code,
    ).toBe(0);
    expect((await cli.run(["project", "use", "tutorial"])).code).toBe(0);
    const passphraseFile = path.join(work, "passphrase");
    const register = await cli.run([
      "appliance",
      "register",
      "--name",
      "appliance1",
      "--passphrase-file",
      passphraseFile,
    ]);
    expect(register.code, register.stderr).toBe(0);
    const passphrase = fs.readFileSync(passphraseFile, "utf8").trim();
    expect(fs.statSync(passphraseFile).mode & 0o777).toBe(0o600);
    expect(register.stdout + register.stderr).not.toContain(passphrase);
    const finalize = await cli.run(["appliance", "finalize", "appliance1", "-o", "json"]);
    expect(JSON.parse(finalize.stdout)).toMatchObject({ name: "appliance1", state: "Finalized" });
  });

  it("discovers the agent's machine and replicates it until it is Replicating", async () => {
    const { requested, allowed } = shutdown();
    const stateDir = path.join(work, "agent");
    const env = { ...process.env, FERRY_AGENT_HEARTBEAT_MS: "500" };
    const registerArgs = [
      "register",
      "--server",
      `${ferry.api.origin}/api`,
      "--passphrase-file",
      path.join(work, "passphrase"),
    ];
    const register = agentProcess(
      path.join(repoRoot, "dist"),
      [
        ...registerArgs,
        "--state-dir",
        stateDir,
        ...disks.flatMap((d) => ["--disk", d.file]),
        "--hostname",
        "web01",
        "--shutdown-command",
        `touch '${requested}'; while [ ! -f '${allowed}' ]; do sleep 0.05; done`,
      ],
      env,
      () => undefined,
    );
    expect(await exitOf(register)).toBe(0);
    agents.push(agentProcess(path.join(repoRoot, "dist"), ["run", "--state-dir", stateDir], env, () => undefined));

    const machines = await cli.json(z.array(machineSchema), ["machine", "list"]);
    expect(machines.map((m) => m.hostname)).toEqual(["web01"]);
    const replicate = await cli.run([
      "replicate",
      "web01",
      "--policy",
      "default",
      "--resource-group",
      "rg-migrated",
      "--network",
      "vnet-prod",
      "--subnet",
      "default",
      "-o",
      "json",
    ]);
    expect(replicate.code, replicate.stderr).toBe(0);
    expect(jobSchema.parse(JSON.parse(replicate.stdout))).toMatchObject({
      operation: "EnableMigration",
      state: "Succeeded",
    });
    expect(replicate.stderr, "the tasks as they progress").toMatch(/✓ Enable replication: Succeeded/);
    const watched = await cli.json(replicatingServerSchema, ["server", "watch", "web01", "--until", "Replicating"]);
    expect(watched).toMatchObject({ machineName: "web01", migrationState: "Replicating", initialSeedingProgress: 100 });
    const grid = await cli.json(z.array(replicatingServerSchema), ["server", "list"]);
    expect(grid.map((s) => s.allowedOperations)).toEqual([expect.arrayContaining(["TestMigrate", "Migrate"])]);
  }, 120_000);

  it("verifies the newest point and test-migrates from it, the test VM's disks equal to the source's", async () => {
    const verify = await cli.json(jobSchema, ["point", "verify", "web01"]);
    expect(verify.result?.disks).toEqual(
      disks.map((d) => ({ diskId: d.diskId, sizeBytes: d.sizeBytes, sha256: sha256OfFile(d.file) })),
    );
    const job = await cli.json(jobSchema, ["server", "test-migrate", "web01", "--network", "vnet-test"]);
    expect(job.state).toBe("Succeeded");
    const [vm] = await cli.json(z.array(virtualMachineSchema), ["vm", "list"]);
    expect(vm).toMatchObject({ name: "web01-Test", kind: "TestMigration", network: "vnet-test" });
    for (const disk of disks) {
      const file = path.join(work, `${disk.diskId}.vhd`);
      const download = await cli.run(["vm", "download-disk", "web01-Test", "--disk", disk.diskId, "--file", file]);
      expect(download.code, download.stderr).toBe(0);
      expect(fs.statSync(file).size).toBe(vm!.disks.find((d) => d.diskId === disk.diskId)!.vhdSizeBytes);
      expect(sha256OfPrefix(file, disk.sizeBytes), `test VM ${disk.diskId}`).toBe(sha256OfFile(disk.file));
    }
    expect((await cli.json(jobSchema, ["server", "test-migrate-cleanup", "web01"])).state).toBe("Succeeded");
    expect(await cli.json(z.array(virtualMachineSchema), ["vm", "list"])).toEqual([]);
  }, 120_000);

  it("exits 3 when the migration fails: its chosen point was pruned while the source shut down", async () => {
    const { requested, allowed } = shutdown();
    const [point] = await cli.json(z.array(recoveryPointSchema), ["point", "list", "web01"]);
    const migrate = cli.start(["server", "migrate", "web01", "--recovery-point", point!.id, "-o", "json"]);
    await until(() => fs.existsSync(requested));
    await expectCtrlCToDetach();
    const [server] = await cli.json(z.array(replicatingServerSchema), ["server", "list"]);
    // As retention would: the point was there when asked for, and is gone now.
    await createStores({
      kind: "connectionString",
      connectionString: inject("storageConnectionString"),
    }).recoveryPoints.delete(server!.id, point!.id);
    fs.writeFileSync(allowed, "");
    const failed = await migrate.done;
    expect(failed.code, failed.stderr).toBe(3);
    expect(jobSchema.parse(JSON.parse(failed.stdout))).toMatchObject({
      state: "Failed",
      errors: [{ code: "NotFound" }],
    });
  }, 120_000);

  it("migrates with --no-wait, follows the job, and completes the migration: the VM stays", async () => {
    const started = await cli.json(jobSchema, ["server", "migrate", "web01", "--no-shutdown", "--no-wait"]);
    expect(started.state).not.toBe("Succeeded");
    const watched = await cli.run(["job", "watch", started.id, "-o", "json"]);
    expect(watched.code, watched.stderr).toBe(0);
    expect(jobSchema.parse(JSON.parse(watched.stdout)).state).toBe("Succeeded");
    const [vm] = await cli.json(z.array(virtualMachineSchema), ["vm", "list"]);
    expect(vm).toMatchObject({ name: "web01", kind: "Migration" });
    expect((await cli.json(jobSchema, ["server", "complete", "web01"])).state).toBe("Succeeded");
    expect(await cli.json(z.array(replicatingServerSchema), ["server", "list"])).toEqual([]);
    expect((await cli.json(z.array(virtualMachineSchema), ["vm", "list"])).map((v) => v.name)).toEqual(["web01"]);
  }, 120_000);
});

/** Ctrl-C while watching prints the job as it is and how to watch it again; the job goes on. */
async function expectCtrlCToDetach(): Promise<void> {
  const [running] = await cli.json(z.array(jobSchema), ["job", "list", "--server", "web01", "--state", "InProgress"]);
  const watcher = cli.start(["job", "watch", running!.id, "-o", "json"]);
  await until(() => watcher.stderr().includes("Migrate"));
  watcher.signal("SIGINT");
  const detached = await watcher.done;
  expect(detached.code, detached.stderr).toBe(130);
  expect(jobSchema.parse(JSON.parse(detached.stdout))).toMatchObject({ id: running!.id, state: "InProgress" });
  expect(detached.stderr).toContain(`Watch it again with: ferry job watch ${running!.id}`);
  expect((await cli.json(jobSchema, ["job", "show", running!.id])).state).toBe("InProgress");
}

async function until(done: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("Timed out.");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

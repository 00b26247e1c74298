// The seeds' tutorial, unattended: project → appliance → agent → replicate → test migrate →
// verify → clean up → migrate with shutdown → verify → complete. Returns what did not match.
import fs from "node:fs";
import path from "node:path";
import { FerryClient, isFerryApiError, routes, type Job, type ProjectClient, type VirtualMachine } from "../client";
import { diskDigest, until } from "./demoKit";
import { agentProcess, exitOf, makeImage, sha256OfFile, Workload, type SourceDiskImage } from "./sourceMachine";

export interface DemoSettings {
  api: string;
  operatorKey: string;
  workDir: string;
  distRoot: string;
  imageMiB: number;
  log: (line: string) => void;
}

const jobTimeoutMs = 180_000;

interface Ctx {
  s: DemoSettings;
  project: ProjectClient;
  itemId: string;
  disks: SourceDiskImage[];
  mismatches: string[];
}

function printJob(s: DemoSettings, job: Job): void {
  s.log(`    job "${job.displayName}" ${job.id}: ${job.state}`);
  for (const task of job.tasks) s.log(`      - ${task.name}: ${task.state}${task.note ? ` (${task.note})` : ""}`);
  for (const warning of job.warnings) s.log(`      ! ${warning}`);
  for (const error of job.errors) s.log(`      x ${error.code}: ${error.message}`);
}

async function runJob(ctx: Ctx, start: Promise<{ job: Job }>): Promise<Job> {
  const job = await ctx.project.waitForJob((await start).job, undefined, { signal: AbortSignal.timeout(jobTimeoutMs) });
  printJob(ctx.s, job);
  if (job.state !== "Succeeded") throw new Error(`${job.displayName} ended ${job.state}.`);
  return job;
}

function expectEqual(ctx: Ctx, what: string, actual: string, expected: string): void {
  const ok = actual === expected;
  ctx.s.log(
    `    ${ok ? "same" : "DIFFERENT"}: ${what} sha256 ${actual.slice(0, 16)}…` +
      `${ok ? "" : ` (source ${expected.slice(0, 16)}…)`}`,
  );
  if (!ok) ctx.mismatches.push(what);
}

async function compareVmDisks(
  ctx: Ctx,
  vm: VirtualMachine,
  expected: Map<string, string>,
  label: string,
): Promise<void> {
  for (const disk of ctx.disks) {
    const got = await diskDigest(ctx.project, vm.id, disk.diskId, disk.sizeBytes);
    expectEqual(
      ctx,
      `${label} ${vm.name} disk ${disk.diskId} (VHD ${got.length} bytes)`,
      got.sha256,
      expected.get(disk.diskId) ?? "",
    );
  }
}

async function verifyPoint(ctx: Ctx, pointId: string, expected: Map<string, string>): Promise<void> {
  const params = { itemId: ctx.itemId, recoveryPointId: pointId };
  const job = await runJob(ctx, ctx.project.call(routes.verifyRecoveryPoint, { params }));
  const disks = (job.result?.disks ?? []) as { diskId: string; sha256: string }[];
  for (const disk of ctx.disks)
    expectEqual(
      ctx,
      `point ${pointId} disk ${disk.diskId}`,
      disks.find((d) => d.diskId === disk.diskId)?.sha256 ?? "",
      expected.get(disk.diskId) ?? "",
    );
}

const hashes = (disks: SourceDiskImage[]) => new Map(disks.map((d) => [d.diskId, sha256OfFile(d.file)]));

async function setUp(
  s: DemoSettings,
  client: FerryClient,
): Promise<{ project: ProjectClient; passphraseFile: string }> {
  s.log("==> Create a project, get a registration key, register and finalize the appliance");
  const body = { name: "demo", geography: "Europe", targetRegion: "westeurope" };
  const project = client.project((await client.call(routes.createProject, { body })).id);
  const { key } = await project.call(routes.createRegistrationKey);
  const appliance = await client.call(routes.registerAppliance, {
    body: { registrationKey: key, name: "demo-appliance" },
  });
  await project.call(routes.finalizeAppliance, { params: { applianceId: appliance.applianceId } });
  const passphraseFile = path.join(s.workDir, "passphrase");
  fs.writeFileSync(passphraseFile, appliance.passphrase, { mode: 0o600 });
  s.log(`    project ${project.projectId}, appliance ${appliance.applianceId}`);
  return { project, passphraseFile };
}

export async function walkthrough(s: DemoSettings): Promise<string[]> {
  const client = new FerryClient({ server: s.api, credential: s.operatorKey });
  const { project, passphraseFile } = await setUp(s, client);
  s.log(`==> Make the source disks (${s.imageMiB} MiB + 1.5 KiB boot disk with zero regions, 8 MiB data disk)`);
  const disks = [
    makeImage(path.join(s.workDir, "disk0.img"), "disk0", s.imageMiB),
    makeImage(path.join(s.workDir, "disk1.img"), "disk1", 8),
  ];
  const workload = new Workload(disks[0], s.workDir);
  const stateDir = path.join(s.workDir, "agent-state");
  const env = { ...process.env, FERRY_AGENT_HEARTBEAT_MS: "500" };
  s.log("==> Install the agent and register the machine");
  const register = agentProcess(
    s.distRoot,
    [
      "register",
      "--server",
      s.api,
      "--passphrase-file",
      passphraseFile,
      "--state-dir",
      stateDir,
      ...disks.flatMap((d) => ["--disk", d.file]),
      "--hostname",
      "demo-web01",
      "--shutdown-command",
      workload.shutdownCommand,
    ],
    env,
    s.log,
  );
  if ((await exitOf(register)) !== 0) throw new Error("Agent registration failed.");
  const [machine] = await project.listAll(routes.listMachines);
  s.log(`    discovered ${machine.hostname} (${machine.id}) with ${machine.disks.length} disks`);
  s.log("==> Replicate");
  const [policy] = await project.listAll(routes.listPolicies);
  const enabled = await project.call(routes.enableReplication, {
    body: {
      machineId: machine.id,
      policyId: policy.id,
      target: { resourceGroup: "demo-rg", network: "prod-vnet", subnet: "default", vmSize: "auto" },
    },
  });
  const ctx: Ctx = { s, project, itemId: enabled.item.id, disks, mismatches: [] };
  printJob(s, await project.waitForJob(enabled.job, undefined, { signal: AbortSignal.timeout(jobTimeoutMs) }));
  const agent = agentProcess(s.distRoot, ["run", "--state-dir", stateDir], env, () => undefined);
  workload.start();
  try {
    await replicateAndTest(ctx, workload);
    await migrateAndComplete(ctx, workload);
  } finally {
    workload.stop();
    if (agent.exitCode === null) agent.kill("SIGTERM");
    await exitOf(agent);
  }
  return ctx.mismatches;
}

async function replicateAndTest(ctx: Ctx, workload: Workload): Promise<void> {
  const { s, project } = ctx;
  const params = { itemId: ctx.itemId };
  await until("initial replication", async () =>
    (await project.call(routes.getReplicatingServer, { params })).migrationState === "Replicating" ? true : undefined,
  );
  s.log(`==> Initial replication done; the workload keeps writing (${workload.writes} writes so far)`);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  workload.stop();
  const quiet = new Date().toISOString();
  const expected = hashes(ctx.disks);
  const point = await until("a recovery point after the writes stopped", async () =>
    (await project.listAll(routes.listRecoveryPoints, { params })).find((p) => p.time > quiet),
  );
  s.log(`==> Recovery point ${point.id} (${point.type}, ${point.time}); verify it`);
  await verifyPoint(ctx, point.id, expected);
  s.log("==> Test migrate from that point into test-vnet");
  const body = { network: "test-vnet", recoveryPoint: point.id };
  await runJob(ctx, project.call(routes.testMigrate, { params, body }));
  const vms = await project.listAll(routes.listVirtualMachines);
  const testVm = vms.find((vm) => vm.name.endsWith("-Test"));
  if (!testVm) throw new Error("No test VM was created.");
  await compareVmDisks(ctx, testVm, expected, "test VM");
  s.log("==> Clean up the test migration");
  await runJob(ctx, project.call(routes.testMigrateCleanup, { params }));
  workload.start();
}

async function migrateAndComplete(ctx: Ctx, workload: Workload): Promise<void> {
  const { s, project } = ctx;
  const params = { itemId: ctx.itemId };
  await new Promise((resolve) => setTimeout(resolve, 3000));
  s.log(`==> Migrate: shut the source down, replicate its last changes, fail over (${workload.writes} writes so far)`);
  const job = await runJob(ctx, project.call(routes.migrate, { params, body: { shutdownSource: true } }));
  if (job.warnings.length > 0) ctx.mismatches.push("the migration could not use the final point");
  const expected = hashes(ctx.disks);
  const vm = (await project.listAll(routes.listVirtualMachines)).find((v) => !v.name.endsWith("-Test"));
  if (!vm) throw new Error("No migrated VM was created.");
  await compareVmDisks(ctx, vm, expected, "migrated VM");
  s.log("==> Complete the migration");
  await runJob(ctx, project.call(routes.completeMigration, { params }));
  const gone = await project.call(routes.getReplicatingServer, { params }).then(
    () => false,
    (e: unknown) => isFerryApiError(e, "NotFound"),
  );
  s.log(`    replication state removed: ${gone ? "yes" : "NO"}`);
  if (!gone) ctx.mismatches.push("the item still exists after completing the migration");
  const left = await project.listAll(routes.listVirtualMachines);
  s.log(`    the migrated VM stays: ${left.map((v) => v.name).join(", ")}`);
}

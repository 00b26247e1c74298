// The seeds' tutorial, unattended: project → appliance → agent → replicate → test migrate →
// verify → clean up → migrate with shutdown → verify → complete. Returns what did not match.
import fs from "node:fs";
import path from "node:path";
import { OperatorClient, until, waitForJob, type Job } from "./operatorClient";
import { agentProcess, exitOf, makeImage, sha256OfFile, Workload, type SourceDiskImage } from "./sourceMachine";

export interface DemoSettings {
  api: string;
  operatorKey: string;
  workDir: string;
  distRoot: string;
  imageMiB: number;
  log: (line: string) => void;
}

interface Point {
  id: string;
  time: string;
  type: string;
}
interface Vm {
  id: string;
  name: string;
  disks: { diskId: string }[];
}
interface Ctx {
  s: DemoSettings;
  client: OperatorClient;
  projectId: string;
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

async function runJob(ctx: Ctx, method: string, path: string, body?: unknown): Promise<Job> {
  const started = await ctx.client.call<{ job: Job }>(method, path, body);
  const job = await waitForJob(ctx.client, ctx.projectId, started.job.id);
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

async function compareVmDisks(ctx: Ctx, vm: Vm, expected: Map<string, string>, label: string): Promise<void> {
  for (const disk of ctx.disks) {
    const got = await ctx.client.digest(
      `/projects/${ctx.projectId}/virtual-machines/${vm.id}/disks/${disk.diskId}`,
      disk.sizeBytes,
    );
    expectEqual(
      ctx,
      `${label} ${vm.name} disk ${disk.diskId} (VHD ${got.length} bytes)`,
      got.sha256,
      expected.get(disk.diskId) ?? "",
    );
  }
}

async function verifyPoint(ctx: Ctx, point: Point, expected: Map<string, string>): Promise<void> {
  const job = await runJob(
    ctx,
    "POST",
    `/projects/${ctx.projectId}/replicating-servers/${ctx.itemId}/recovery-points/${point.id}/verify`,
  );
  const disks = (job.result?.disks ?? []) as { diskId: string; sha256: string }[];
  for (const disk of ctx.disks)
    expectEqual(
      ctx,
      `point ${point.id} disk ${disk.diskId}`,
      disks.find((d) => d.diskId === disk.diskId)?.sha256 ?? "",
      expected.get(disk.diskId) ?? "",
    );
}

const hashes = (disks: SourceDiskImage[]) => new Map(disks.map((d) => [d.diskId, sha256OfFile(d.file)]));

async function setUp(s: DemoSettings, client: OperatorClient): Promise<{ projectId: string; passphraseFile: string }> {
  s.log("==> Create a project, get a registration key, register and finalize the appliance");
  const project = await client.call<{ id: string }>("POST", "/projects", {
    name: "demo",
    geography: "Europe",
    targetRegion: "westeurope",
  });
  const { key } = await client.call<{ key: string }>("POST", `/projects/${project.id}/registration-keys`);
  const appliance = await client.call<{ applianceId: string; passphrase: string }>("POST", "/appliances", {
    registrationKey: key,
    name: "demo-appliance",
  });
  await client.call("POST", `/projects/${project.id}/appliances/${appliance.applianceId}/finalize`);
  const passphraseFile = path.join(s.workDir, "passphrase");
  fs.writeFileSync(passphraseFile, appliance.passphrase, { mode: 0o600 });
  s.log(`    project ${project.id}, appliance ${appliance.applianceId}`);
  return { projectId: project.id, passphraseFile };
}

export async function walkthrough(s: DemoSettings): Promise<string[]> {
  const client = new OperatorClient(s.api, s.operatorKey);
  const { projectId, passphraseFile } = await setUp(s, client);
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
  const machines = await client.call<{ value: { id: string; hostname: string; disks: unknown[] }[] }>(
    "GET",
    `/projects/${projectId}/machines`,
  );
  const machine = machines.value[0];
  s.log(`    discovered ${machine.hostname} (${machine.id}) with ${machine.disks.length} disks`);
  s.log("==> Replicate");
  const policy = (await client.call<{ value: { id: string }[] }>("GET", `/projects/${projectId}/policies`)).value[0];
  const enabled = await client.call<{ item: { id: string }; job: Job }>("POST", `/projects/${projectId}/replications`, {
    machineId: machine.id,
    policyId: policy.id,
    target: { resourceGroup: "demo-rg", network: "prod-vnet", subnet: "default", vmSize: "auto" },
  });
  const ctx: Ctx = { s, client, projectId, itemId: enabled.item.id, disks, mismatches: [] };
  printJob(s, await waitForJob(client, projectId, enabled.job.id));
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
  const { s, client, projectId, itemId } = ctx;
  const item = `/projects/${projectId}/replicating-servers/${itemId}`;
  await until("initial replication", async () =>
    (await client.call<{ migrationState: string }>("GET", item)).migrationState === "Replicating" ? true : undefined,
  );
  s.log(`==> Initial replication done; the workload keeps writing (${workload.writes} writes so far)`);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  workload.stop();
  const quiet = new Date().toISOString();
  const expected = hashes(ctx.disks);
  const point = await until("a recovery point after the writes stopped", async () =>
    (await client.call<{ value: Point[] }>("GET", `${item}/recovery-points`)).value.find((p) => p.time > quiet),
  );
  s.log(`==> Recovery point ${point.id} (${point.type}, ${point.time}); verify it`);
  await verifyPoint(ctx, point, expected);
  s.log("==> Test migrate from that point into test-vnet");
  await runJob(ctx, "POST", `${item}/test-migrate`, { network: "test-vnet", recoveryPoint: point.id });
  const vms = (await client.call<{ value: Vm[] }>("GET", `/projects/${projectId}/virtual-machines`)).value;
  const testVm = vms.find((vm) => vm.name.endsWith("-Test"));
  if (!testVm) throw new Error("No test VM was created.");
  await compareVmDisks(ctx, testVm, expected, "test VM");
  s.log("==> Clean up the test migration");
  await runJob(ctx, "POST", `${item}/test-migrate-cleanup`);
  workload.start();
}

async function migrateAndComplete(ctx: Ctx, workload: Workload): Promise<void> {
  const { s, client, projectId, itemId } = ctx;
  const item = `/projects/${projectId}/replicating-servers/${itemId}`;
  await new Promise((resolve) => setTimeout(resolve, 3000));
  s.log(`==> Migrate: shut the source down, replicate its last changes, fail over (${workload.writes} writes so far)`);
  const job = await runJob(ctx, "POST", `${item}/migrate`, { shutdownSource: true });
  if (job.warnings.length > 0) ctx.mismatches.push("the migration could not use the final point");
  const expected = hashes(ctx.disks);
  const vm = (await client.call<{ value: Vm[] }>("GET", `/projects/${projectId}/virtual-machines`)).value.find(
    (v) => !v.name.endsWith("-Test"),
  );
  if (!vm) throw new Error("No migrated VM was created.");
  await compareVmDisks(ctx, vm, expected, "migrated VM");
  s.log("==> Complete the migration");
  await runJob(ctx, "POST", `${item}/complete`);
  const gone = await client.call("GET", item).then(
    () => false,
    (e: unknown) => String(e).includes("404"),
  );
  s.log(`    replication state removed: ${gone ? "yes" : "NO"}`);
  if (!gone) ctx.mismatches.push("the item still exists after completing the migration");
  const left = await client.call<{ value: Vm[] }>("GET", `/projects/${projectId}/virtual-machines`);
  s.log(`    the migrated VM stays: ${left.value.map((v) => v.name).join(", ")}`);
}

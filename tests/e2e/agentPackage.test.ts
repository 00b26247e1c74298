// The agent as a source server gets it: the tarball `npm run package:agent` builds, unpacked into an
// empty folder outside the repository, installed with its own script, run on its own Node with a
// bare environment, replicating a disk image to a real host; the point verifies byte for byte.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { routes, type ProjectClient } from "../../client";
import { exitOf, makeImage, sha256OfFile, type SourceDiskImage } from "../../demo/sourceMachine";
import type { AgentState } from "../../agent/state";
import { removeTempDirs, tempDir } from "../support/agentCli";
import { buildAgentTarball, filesUnder, runIn, unpack } from "../support/agentPackage";
import { eventually } from "../support/eventually";
import { setUpProject, startFerry, type ProjectSetUp, type RunningFerry } from "../support/ferryApi";
import { repoRoot } from "../support/hostProcess";

let ferry: RunningFerry;
let project: ProjectSetUp;
let work: string;
let pkg: string;
let disk: SourceDiskImage;
let agent: ChildProcess | undefined;
const mine = () => ferry.api.client.project(project.projectId);

// No NODE_PATH or NODE_OPTIONS; INIT_CWD and the lifecycle event as an npm script (this test run)
// leaves them: the agent must take relative paths from its working directory all the same.
const bareEnv = () => ({
  PATH: "/usr/bin:/bin",
  HOME: work,
  INIT_CWD: repoRoot,
  npm_lifecycle_event: "test",
  FERRY_AGENT_HEARTBEAT_MS: "500",
});

beforeAll(async () => {
  const built = tempDir("ferry-agent-tarball-");
  const [tarball, running] = await Promise.all([
    buildAgentTarball(built),
    startFerry(inject("storageConnectionString"), { env: { FERRY_CYCLE_INTERVAL_SECONDS: "2" } }),
  ]);
  ferry = running;
  project = await setUpProject(ferry.api);
  work = tempDir("ferry-source-server-");
  expect(path.relative(repoRoot, work).startsWith(".."), "the folder lies outside the repository").toBe(true);
  pkg = await unpack(tarball, work);
  fs.writeFileSync(path.join(work, "passphrase"), `${project.passphrase}\n`, { mode: 0o600 });
  disk = makeImage(path.join(work, "disk0.img"), "disk0", 8);
}, 300_000);

afterAll(async () => {
  if (agent && agent.exitCode === null) agent.kill("SIGKILL");
  if (agent) await exitOf(agent);
  await ferry?.stop();
  removeTempDirs();
});

const install = (args: string[]) => runIn(work, path.join(pkg, "install"), args, bareEnv());
const registration = ["--passphrase-file", "passphrase", "--disk", "disk0.img"];

describe("the agent package on a source server", () => {
  it("refuses bad input before it installs anything", async () => {
    const missing = await install(["--no-service", "--server", ferry.api.origin, "--disk", "disk0.img"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--passphrase-file FILE is required");
    const folders = await install(["--prefix", "opt", "--server", ferry.api.origin, ...registration]);
    expect(folders.code).toBe(2);
    expect(folders.stderr).toContain("--prefix go with --no-service");
    fs.writeFileSync(path.join(work, "wrong"), "not-the-passphrase\n", { mode: 0o600 });
    const refused = await install([
      "--no-service",
      "--prefix",
      "opt",
      "--state-dir",
      "state",
      "--server",
      ferry.api.origin,
      "--passphrase-file",
      "wrong",
      "--disk",
      "disk0.img",
    ]);
    expect(refused.code, refused.stdout).toBe(1);
    expect(refused.stderr).toMatch(/^\w+: .*\ninstall: registration failed: nothing was installed\n$/);
    fs.rmSync(path.join(work, "wrong"));
    expect(fs.readdirSync(work).sort()).toEqual(["disk0.img", path.basename(pkg), "passphrase"]);
  });

  it("installs with --no-service into a folder, registering with the appliance's host root address", async () => {
    const result = await install([
      "--no-service",
      "--prefix",
      "opt",
      "--state-dir",
      "state",
      "--server",
      ferry.api.origin,
      ...registration,
      "--hostname",
      "pkg-web01",
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Registered this machine with Ferry as mch_\w+\.$/m);
    expect(result.stdout).toContain(`Run the agent with: ${work}/opt/ferry-agent run --state-dir ${work}/state`);
    const state = JSON.parse(fs.readFileSync(path.join(work, "state", "agent.json"), "utf8")) as AgentState;
    expect(state).toMatchObject({ server: `${ferry.api.origin}/api`, hostname: "pkg-web01" });
    expect(state.disks).toEqual([{ id: "disk0", path: disk.file, sizeBytes: disk.sizeBytes, isBoot: true }]);
    const machines = await mine().listAll(routes.listMachines);
    expect(machines.map((m) => m.hostname)).toEqual(["pkg-web01"]);
    expect(fs.readFileSync(path.join(work, "opt", "VERSION"), "utf8")).toContain(`Node ${process.version}`);
  });

  it("ships the agent's modules and runtime packages only: no sources, maps or development packages", () => {
    const app = path.join(work, "opt", "app");
    expect(fs.readdirSync(app).sort()).toEqual(["agent", "client", "node_modules", "package.json", "shared"]);
    expect(filesUnder(app).filter((file) => /\.(ts|map)$/.test(file))).toEqual([]);
    const shipped = shippedPackages(path.join(app, "node_modules"));
    const { dependencies } = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const platformPackages = new Set(shipped.flatMap((m) => Object.keys(m.optionalDependencies ?? {})));
    const strays = shipped.filter((m) => !(m.name in dependencies) && !platformPackages.has(m.name));
    expect(strays.map((m) => m.name)).toEqual([]);
    expect(shipped.map((m) => m.name)).toEqual(expect.arrayContaining(["@node-rs/xxhash-linux-x64-gnu", "zod"]));
  });

  it("replicates from the installed folder on its own Node, and its point verifies byte for byte", async () => {
    const [machine] = await mine().listAll(routes.listMachines);
    const [policy] = await mine().listAll(routes.listPolicies);
    const target = { resourceGroup: "rg-migrated", network: "vnet-prod", subnet: "default", vmSize: "auto" };
    const enabled = await mine().call(routes.enableReplication, {
      body: { machineId: machine!.id, policyId: policy!.id, target },
    });
    expect((await mine().waitForJob(enabled.job)).state).toBe("Succeeded");
    agent = spawn(path.join(work, "opt", "ferry-agent"), ["run", "--state-dir", "state"], {
      cwd: work,
      env: bareEnv(),
      stdio: "ignore",
    });
    const exe = await eventually(
      () => fs.promises.readlink(`/proc/${agent!.pid}/exe`).catch(() => ""),
      (target) => target.endsWith("/node"),
      { what: "the agent's process to be Node" },
    );
    expect(exe).toBe(path.join(work, "opt", "node", "bin", "node"));
    const itemId = enabled.item.id;
    await replicatingWithPoint(mine(), itemId);
    const points = await mine().listAll(routes.listRecoveryPoints, { params: { itemId } });
    const newest = points.reduce((a, b) => (a.time > b.time ? a : b));
    const verify = await mine().call(routes.verifyRecoveryPoint, {
      params: { itemId, recoveryPointId: newest.id },
    });
    const verified = await mine().waitForJob(verify.job);
    expect(verified.result?.disks).toEqual([
      { diskId: "disk0", sizeBytes: disk.sizeBytes, sha256: sha256OfFile(disk.file) },
    ]);
    const status = await runIn(
      work,
      path.join(work, "opt", "ferry-agent"),
      ["status", "--state-dir", "state"],
      bareEnv(),
    );
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^disk0 +\S+disk0\.img +replicating +#\d+ at \S+ +[\d.]+ \S*B +-$/m);
    agent.kill("SIGTERM");
    expect(await exitOf(agent)).toBe(0);
  }, 180_000);

  it("uninstalls what it installed, and only that", async () => {
    const result = await runIn(work, path.join(pkg, "uninstall"), ["--prefix", "opt"], bareEnv());
    expect(result.code, result.stderr).toBe(0);
    expect(fs.existsSync(path.join(work, "opt"))).toBe(false);
    expect(fs.existsSync(path.join(work, "state"))).toBe(false);
    expect(fs.readdirSync(work).sort()).toEqual(["disk0.img", path.basename(pkg), "passphrase"]);
  });

  it("writes the systemd unit and the folders it names when installed as a service under a root", async () => {
    const result = await install([
      "--root",
      "root",
      "--server",
      `${ferry.api.origin}/api/`,
      ...registration,
      "--hostname",
      "pkg-web02",
      "--shutdown-command",
      "systemctl poweroff",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const unit = fs.readFileSync(path.join(work, "root/etc/systemd/system/ferry-agent.service"), "utf8");
    expect(unit).toContain("\nExecStart=/opt/ferry-agent/ferry-agent run --state-dir /var/lib/ferry-agent\n");
    expect(unit).toContain("\nRestart=on-failure\n");
    expect(unit).toContain("\nWantedBy=multi-user.target\n");
    const state = JSON.parse(
      fs.readFileSync(path.join(work, "root/var/lib/ferry-agent/agent.json"), "utf8"),
    ) as AgentState;
    expect(state).toMatchObject({ server: `${ferry.api.origin}/api`, shutdownCommand: "systemctl poweroff" });
    expect(fs.statSync(path.join(work, "root/var/lib/ferry-agent")).mode & 0o777).toBe(0o700);
    expect(filesUnder(path.join(work, "root/opt/ferry-agent"))).toContain("node/bin/node");
    const removed = await runIn(work, path.join(work, "root/opt/ferry-agent/uninstall"), [], bareEnv());
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain("Removed ferry-agent.service.");
    expect(filesUnder(path.join(work, "root"))).toEqual([]);
  });
});

interface Manifest {
  name: string;
  optionalDependencies?: Record<string, string>;
}

/** The manifests of the packages at the top of a node_modules folder (scoped ones included). */
function shippedPackages(nodeModules: string): Manifest[] {
  const folders = fs
    .readdirSync(nodeModules)
    .flatMap((name) =>
      name.startsWith("@") ? fs.readdirSync(path.join(nodeModules, name)).map((inner) => `${name}/${inner}`) : [name],
    );
  return folders.map(
    (folder) => JSON.parse(fs.readFileSync(path.join(nodeModules, folder, "package.json"), "utf8")) as Manifest,
  );
}

/** Until the server is Replicating and holds a recovery point. */
async function replicatingWithPoint(project: ProjectClient, itemId: string): Promise<void> {
  await eventually(
    async () => {
      const server = await project.call(routes.getReplicatingServer, { params: { itemId } });
      const points = await project.listAll(routes.listRecoveryPoints, { params: { itemId } });
      return server.migrationState === "Replicating" && points.length > 0;
    },
    (ready) => ready,
    { what: "replication with a recovery point", timeoutMs: 120_000, intervalMs: 500 },
  );
}

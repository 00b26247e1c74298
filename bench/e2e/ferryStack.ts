/**
 * The whole backend as a user runs it: its own in-memory Azurite, the local host serving
 * Ferry as a child process (node dist/devhost/cli/host.js), and a project with a finalized
 * appliance whose passphrase agents register with.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { startAzurite, type EmbeddedAzurite } from "../../devhost/azurite/embedded";
import { FerryClient, routes, type ProjectClient } from "../../client";
import { startNodeChild, type RunningChild } from "../support/childProcess";
import { PeakRss } from "../support/peakRss";

export const distRoot = path.resolve(__dirname, "../..");
const repoRoot = path.resolve(distRoot, "..");

export interface FerryStack {
  api: string;
  project: ProjectClient;
  azurite: EmbeddedAzurite;
  projectId: string;
  passphraseFile: string;
  hostRss: PeakRss;
  hostPid: number | undefined;
  stop(): Promise<void>;
}

export interface StackOptions {
  workDir: string;
  cycleIntervalSeconds: number;
  /**
   * Azurite keeps its data in files under the work dir, as `npm start` does, instead of in
   * memory, where it refuses writes once it holds half the machine's RAM.
   */
  azuriteOnDisk?: boolean;
  /** The connection string the host is given, e.g. a counting relay's in front of Azurite; Azurite's own by default. */
  hostStorage?: (azurite: EmbeddedAzurite) => Promise<string>;
}

export async function startFerryStack(options: StackOptions): Promise<FerryStack> {
  const azurite = await startAzurite(options.azuriteOnDisk ? { location: path.join(options.workDir, "azurite") } : {});
  const key = randomBytes(24).toString("base64url");
  let host: RunningChild | undefined;
  try {
    const storage = options.hostStorage ? await options.hostStorage(azurite) : azurite.connectionString;
    host = await startNodeChild(
      path.join(distRoot, "devhost/cli/host.js"),
      ["--app", repoRoot, "--port", "0"],
      {
        ...process.env,
        AzureWebJobsStorage: storage,
        FERRY_OPERATOR_KEY: key,
        FERRY_HUB_NAME: `bench${randomBytes(4).toString("hex")}`,
        FERRY_CYCLE_INTERVAL_SECONDS: String(options.cycleIntervalSeconds),
      },
      /Serving .* at (http:\/\/\S+)/,
      60_000,
    );
    const api = `${host.ready[1]}/api`;
    const { project, passphrase } = await createProject(new FerryClient({ server: api, credential: key }));
    const passphraseFile = path.join(options.workDir, "passphrase");
    writeFileSync(passphraseFile, passphrase, { mode: 0o600 });
    const running = host;
    const hostRss = new PeakRss(running.child.pid);
    return {
      api,
      project,
      azurite,
      projectId: project.projectId,
      passphraseFile,
      hostRss,
      hostPid: running.child.pid,
      stop: async () => {
        hostRss.stop();
        await running.stop();
        await azurite.stop();
      },
    };
  } catch (error) {
    await host?.stop();
    await azurite.stop();
    throw error;
  }
}

async function createProject(client: FerryClient): Promise<{ project: ProjectClient; passphrase: string }> {
  const body = { name: "bench", geography: "Europe", targetRegion: "westeurope" };
  const project = client.project((await client.call(routes.createProject, { body })).id);
  const { key } = await project.call(routes.createRegistrationKey);
  const appliance = await client.call(routes.registerAppliance, {
    body: { registrationKey: key, name: "bench-appliance" },
  });
  await project.call(routes.finalizeAppliance, { params: { applianceId: appliance.applianceId } });
  return { project, passphrase: appliance.passphrase };
}

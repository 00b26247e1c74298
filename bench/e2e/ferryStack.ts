/**
 * The whole backend as a user runs it: its own in-memory Azurite, the local host serving
 * Ferry as a child process (node dist/devhost/cli/host.js), and a project with a finalized
 * appliance whose passphrase agents register with.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { startAzurite, type EmbeddedAzurite } from "../../devhost/azurite/embedded";
import { OperatorClient } from "../../demo/operatorClient";
import { startNodeChild, type RunningChild } from "../support/childProcess";
import { PeakRss } from "../support/peakRss";

export const distRoot = path.resolve(__dirname, "../..");
const repoRoot = path.resolve(distRoot, "..");

export interface FerryStack {
  api: string;
  client: OperatorClient;
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
}

export async function startFerryStack(options: StackOptions): Promise<FerryStack> {
  const azurite = await startAzurite(options.azuriteOnDisk ? { location: path.join(options.workDir, "azurite") } : {});
  const key = randomBytes(24).toString("base64url");
  let host: RunningChild | undefined;
  try {
    host = await startNodeChild(
      path.join(distRoot, "devhost/cli/host.js"),
      ["--app", repoRoot, "--port", "0"],
      {
        ...process.env,
        AzureWebJobsStorage: azurite.connectionString,
        FERRY_OPERATOR_KEY: key,
        FERRY_HUB_NAME: `bench${randomBytes(4).toString("hex")}`,
        FERRY_CYCLE_INTERVAL_SECONDS: String(options.cycleIntervalSeconds),
      },
      /Serving .* at (http:\/\/\S+)/,
      60_000,
    );
    const api = `${host.ready[1]}/api`;
    const client = new OperatorClient(api, key);
    const { projectId, passphrase } = await createProject(client);
    const passphraseFile = path.join(options.workDir, "passphrase");
    writeFileSync(passphraseFile, passphrase, { mode: 0o600 });
    const running = host;
    const hostRss = new PeakRss(running.child.pid);
    return {
      api,
      client,
      azurite,
      projectId,
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

async function createProject(client: OperatorClient): Promise<{ projectId: string; passphrase: string }> {
  const project = await client.call<{ id: string }>("POST", "/projects", {
    name: "bench",
    geography: "Europe",
    targetRegion: "westeurope",
  });
  const { key } = await client.call<{ key: string }>("POST", `/projects/${project.id}/registration-keys`);
  const appliance = await client.call<{ applianceId: string; passphrase: string }>("POST", "/appliances", {
    registrationKey: key,
    name: "bench-appliance",
  });
  await client.call("POST", `/projects/${project.id}/appliances/${appliance.applianceId}/finalize`);
  return { projectId: project.id, passphrase: appliance.passphrase };
}

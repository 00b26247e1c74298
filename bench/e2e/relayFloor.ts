/**
 * The floor of any data path with a process server in it: floorSender → floorRelay → a fresh
 * Azurite, three processes on this machine as agent, host and Azurite are, doing only the work
 * named (bench/e2e/floorSender.ts, floorRelay.ts). What Ferry's own path adds — tables, leases,
 * the batch format, the Functions programming model — is left out, so no design of this shape
 * can beat it here.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { startAzurite } from "../../devhost/azurite/embedded";
import { profileArgs, startNodeChild } from "../support/childProcess";
import { cpuSeconds } from "../support/peakRss";

/** relay: bytes only; design: plus the hashes and the spool Ferry's design requires. */
export type FloorWork = "relay" | "design";

export interface FloorRun {
  /** MB/s (10^6 bytes a second) of the image's size. */
  speed: number;
  cpu: { sender: number; relay: number; azurite: number };
}

export async function relayFloor(
  image: string,
  sizeBytes: number,
  work: FloorWork,
  spoolDir: string,
): Promise<FloorRun> {
  const azurite = await startAzurite();
  try {
    const env = {
      ...process.env,
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      FLOOR_DISK_BYTES: String(sizeBytes),
      FLOOR_WORK: work,
    };
    const relay = await startNodeChild(path.join(__dirname, "floorRelay.js"), [], env, /listening (\d+)/);
    try {
      const before = { relay: cpuSeconds(relay.child.pid), azurite: cpuSeconds(azurite.process.pid) };
      const sent = await runSender(
        [path.join(__dirname, "floorSender.js"), relay.ready[1] as string, image, spoolDir],
        env,
      );
      return {
        speed: sizeBytes / 1e6 / sent.seconds,
        cpu: {
          sender: sent.cpu,
          relay: cpuSeconds(relay.child.pid) - before.relay,
          azurite: cpuSeconds(azurite.process.pid) - before.azurite,
        },
      };
    } finally {
      await relay.stop();
    }
  } finally {
    await azurite.stop();
  }
}

function runSender(args: string[], env: NodeJS.ProcessEnv): Promise<{ seconds: number; cpu: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...profileArgs(env), ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      const match = /sent ([\d.]+) s, cpu ([\d.]+) s/.exec(output);
      if (code === 0 && match) resolve({ seconds: Number(match[1]), cpu: Number(match[2]) });
      else reject(new Error(`floor sender exited (${code}):\n${output}`));
    });
  });
}

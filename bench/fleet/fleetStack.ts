/**
 * The fleet's backend: the stack of the end-to-end benches (in-memory Azurite, the local host as a
 * child process, a project with a finalized appliance) with a counting relay between the host and
 * each Azurite service, and a timing relay between the agents and the host.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startFerryStack, type FerryStack } from "../e2e/ferryStack";
import { HeartbeatLog } from "./heartbeatLog";
import { treeCpuSeconds, TreePeakRss } from "./processTree";
import { Relay } from "./relay";
import { StorageCounter } from "./storageCounter";

export interface FleetStack {
  workDir: string;
  stack: FerryStack;
  storage: StorageCounter;
  heartbeats: HeartbeatLog;
  /** The API as the agents reach it: through the timing relay. */
  agentServer: string;
  hostPid: number;
  hostRss: TreePeakRss;
  /** The host tree's CPU seconds when the stack was up. */
  hostCpuAtStart: number;
}

export async function withFleetStack<T>(cycleIntervalSeconds: number, run: (fleet: FleetStack) => Promise<T>) {
  const workDir = await mkdtemp(path.join(process.env.BENCH_DIR ?? os.tmpdir(), "ferry-fleet-"));
  let storage: StorageCounter | undefined;
  let stack: FerryStack | undefined;
  let relay: Relay | undefined;
  try {
    stack = await startFerryStack({
      workDir,
      cycleIntervalSeconds,
      hostStorage: async (azurite) => (storage = await StorageCounter.start(azurite.endpoints)).connectionString,
    });
    const heartbeats = new HeartbeatLog();
    relay = await Relay.start(new URL(stack.api).origin, heartbeats.record);
    const hostPid = stack.hostPid as number;
    const fleet: FleetStack = {
      workDir,
      stack,
      storage: storage as StorageCounter,
      heartbeats,
      agentServer: `${relay.origin}/api`,
      hostPid,
      hostRss: new TreePeakRss(hostPid),
      hostCpuAtStart: treeCpuSeconds(hostPid),
    };
    try {
      return await run(fleet);
    } finally {
      fleet.hostRss.stop();
    }
  } finally {
    await relay?.close();
    await stack?.stop();
    await storage?.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { EmbeddedAzurite } from "../../devhost/azurite/embedded";
import { processAlive } from "../../devhost/cli/processAlive";
import { ensureStorage } from "../../devhost/cli/storage";
import { eventually } from "../support/eventually";
import {
  apiOf,
  azuritePidOf,
  lockExists,
  lockHolderOf,
  startCommand,
  waitForOutput,
  type StartedCommand,
} from "../support/startProcess";

const folders: string[] = [];
const running: StartedCommand[] = [];

function dataFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-procs-"));
  folders.push(dir);
  return dir;
}

function start(dataDir: string, viaNpm = false): StartedCommand {
  const started = startCommand(dataDir, { viaNpm });
  running.push(started);
  return started;
}

function gone(pids: number[], what: string): Promise<boolean[]> {
  return eventually(
    () => pids.map((pid) => processAlive(pid)),
    (alive) => alive.every((a) => !a),
    { timeoutMs: 15_000, intervalMs: 100, what },
  );
}

async function healthy(api: string): Promise<boolean> {
  const reply = await fetch(`${api}/health`);
  return reply.status === 200;
}

/** Ports nothing listens on right now, as the OS hands them out. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = net.createServer();
      return new Promise<net.Server>((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
    }),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

describe("npm start processes", () => {
  afterAll(async () => {
    for (const started of running) if (started.child.exitCode === null) started.child.kill("SIGKILL");
    await Promise.all(running.map((s) => s.exited));
    for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("kill -9 of the start process stops its Azurite, and the next start takes over the stale lock", async () => {
    const dir = dataFolder();
    const first = start(dir);
    await apiOf(first);
    const azurite = await azuritePidOf(first);
    first.child.kill("SIGKILL");
    await first.exited;
    await gone([azurite], `Azurite (process ${azurite}) to stop with its parent`);
    expect(lockExists(dir)).toBe(true);

    const second = start(dir);
    expect(await healthy(await apiOf(second))).toBe(true);
    expect(second.output()).toContain(`from process ${first.child.pid}, which is gone`);
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
    expect(lockExists(dir)).toBe(false);
  }, 120_000);

  it("kill -9 of npm start stops the start process and its Azurite too", async () => {
    const dir = dataFolder();
    const npm = start(dir, true);
    await apiOf(npm);
    const host = lockHolderOf(dir);
    const azurite = await azuritePidOf(npm);
    expect(host).not.toBe(npm.child.pid);
    npm.child.kill("SIGKILL");
    await gone([host, azurite], `the start process ${host} and Azurite ${azurite} to stop with npm`);
    expect(lockExists(dir)).toBe(false);
  }, 120_000);

  it("refuses a second start on the same data folder, naming the process that holds it, and starts nothing", async () => {
    const dir = dataFolder();
    const first = start(dir);
    const api = await apiOf(first);
    const second = start(dir);
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(
      new RegExp(`in use by process ${first.child.pid} \\(since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\)`),
    );
    expect(second.output()).not.toMatch(/Azurite started/);
    expect(lockHolderOf(dir)).toBe(first.child.pid);
    expect(await healthy(api)).toBe(true);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
  }, 120_000);

  it("brings up two starts on different data folders started at the same moment", async () => {
    const [a, b] = [start(dataFolder()), start(dataFolder())];
    const [apiA, apiB] = await Promise.all([apiOf(a), apiOf(b)]);
    expect(apiA).not.toBe(apiB);
    expect([await healthy(apiA), await healthy(apiB)]).toEqual([true, true]);
    const [blobA, blobB] = await Promise.all(
      [a, b].map(async (s) => (await waitForOutput(s, /blob (http:\/\/\S+),/))[1]),
    );
    expect(blobA).not.toBe(blobB);
    a.child.kill("SIGTERM");
    b.child.kill("SIGTERM");
    expect(await Promise.all([a.exited, b.exited])).toEqual([0, 0]);
  }, 120_000);

  it("starts two embedded Azurites asked for the same free ports at the same moment", async () => {
    const [blob, queue, table] = await freePorts(3);
    const envs: NodeJS.ProcessEnv[] = [{}, {}];
    const started: (EmbeddedAzurite | undefined)[] = await Promise.all(
      envs.map((env) => ensureStorage(env, undefined, { blob, queue, table })),
    );
    try {
      expect(started.every((azurite) => azurite !== undefined)).toBe(true);
      expect(envs[0].AzureWebJobsStorage).not.toBe(envs[1].AzureWebJobsStorage);
      expect([started[0]?.endpoints.blob, started[1]?.endpoints.blob]).toContain(`http://127.0.0.1:${blob}`);
    } finally {
      await Promise.all(started.map((azurite) => azurite?.stop()));
    }
  }, 60_000);
});

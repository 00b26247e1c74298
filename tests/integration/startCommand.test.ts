import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processAlive } from "../../devhost/cli/processAlive";
import { eventually } from "../support/eventually";
import {
  apiOf,
  azuritePidOf,
  lockHolderOf,
  startCommand as startTracked,
  waitForOutput,
  type StartedCommand,
  type StartOptions,
} from "../support/startProcess";

const running: StartedCommand[] = [];

/** Started here and killed at the end if a failed test left it running. */
function startCommand(dataDir: string, options?: StartOptions): StartedCommand {
  const started = startTracked(dataDir, options);
  running.push(started);
  return started;
}

afterAll(async () => {
  for (const started of running) if (started.child.exitCode === null) started.child.kill("SIGKILL");
  await Promise.all(running.map((s) => s.exited));
});

function occupy(port: number): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(undefined));
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

describe("npm start", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-start-"));
  let blocker: net.Server | undefined;

  beforeAll(async () => {
    blocker = await occupy(7071);
  });

  afterAll(() => {
    blocker?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("brings up Azurite and Ferry on free ports, prints the key, logs each answer's status, and stops on Ctrl-C", async () => {
    const first = startCommand(dataDir);
    const api = await apiOf(first);
    const key = (await waitForOutput(first, /operator key:\s+(\S+)/))[1];
    const portal = (await waitForOutput(first, /portal:\s+(http:\/\/\S+\/)\s/))[1];
    expect(new URL(api).port).not.toBe("7071");
    expect(portal).toBe(api.replace(/api$/, ""));
    expect((await fetch(portal)).headers.get("content-type")).toBe("text/html; charset=utf-8");
    const health = await fetch(`${api}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { storage: { reachable: boolean } }).storage.reachable).toBe(true);
    const unauthorized = await fetch(`${api}/projects`);
    expect(unauthorized.status).toBe(401);
    // Logged with its status, not as a success.
    await waitForOutput(first, /INFORMATION host: Request GET \/api\/projects 401 \(Functions\.\w+, Id=/);
    expect(first.output()).not.toMatch(/Executed 'Functions\.\w+' \(Succeeded/);
    const authorized = await fetch(`${api}/projects`, { headers: { authorization: `Bearer ${key}` } });
    expect(authorized.status).toBe(200);
    const blobPort = Number((await waitForOutput(first, /blob http:\/\/127\.0\.0\.1:(\d+)/))[1]);
    first.child.kill("SIGINT");
    expect(await first.exited).toBe(0);
    const azuriteGone = await occupy(blobPort);
    expect(azuriteGone).toBeDefined();
    azuriteGone?.close();
    expect(fs.readFileSync(path.join(dataDir, "operator-key"), "utf8").trim()).toBe(key);
    expect(fs.readdirSync(path.join(dataDir, "azurite")).length).toBeGreaterThan(0);

    const second = startCommand(dataDir);
    expect((await waitForOutput(second, /operator key:\s+(\S+)/))[1]).toBe(key);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  }, 120_000);

  // npm forwards a signal to its child only: through a shell that is not exec'd, SIGTERM never reached Ferry.
  it.each(["SIGTERM", "SIGINT"] as const)(
    "stops npm start, the host and its Azurite within seconds on %s",
    async (signal) => {
      const npm = startCommand(dataDir, { viaNpm: true });
      await apiOf(npm);
      const pids = [lockHolderOf(dataDir), await azuritePidOf(npm)];
      const sent = Date.now();
      npm.child.kill(signal);
      expect(await npm.exited).toBe(0);
      await eventually(
        () => pids.filter((pid) => processAlive(pid)),
        (alive) => alive.length === 0,
        { timeoutMs: 15_000, intervalMs: 50, what: `processes ${pids.join(", ")} to stop` },
      );
      expect(Date.now() - sent).toBeLessThan(5_000);
    },
    120_000,
  );
});

describe("npm start --help", () => {
  const dataDir = path.join(os.tmpdir(), `ferry-help-${process.pid}`);

  it.each([
    { how: "npm start -- --help", viaNpm: true, args: ["--help", "--data", dataDir] },
    { how: "start.js -h", viaNpm: false, args: ["-h", "--data", dataDir] },
  ])(
    "$how prints the usage and starts nothing",
    async ({ viaNpm, args }) => {
      const started = startCommand(dataDir, { viaNpm, args });
      expect(await started.exited).toBe(0);
      expect(started.output()).toMatch(/Usage: npm start \[-- \[--port N\] \[--data DIR\]\]/);
      expect(started.output()).toMatch(/--data DIR/);
      expect(started.output()).not.toMatch(/Azurite started|Ferry is running/);
      expect(fs.existsSync(dataDir)).toBe(false);
    },
    60_000,
  );

  it("npm run host -- --help prints the host's usage and starts nothing", async () => {
    const started = startCommand(dataDir, { viaNpm: true, script: "host", args: ["--help"] });
    expect(await started.exited).toBe(0);
    expect(started.output()).toMatch(/Usage: npm run host -- --app DIR/);
    expect(started.output()).not.toMatch(/Azurite started|Serving/);
  }, 60_000);

  it("refuses an option it does not know with exit code 2, before starting anything", async () => {
    const started = startCommand(dataDir, { args: ["--data", dataDir, "--prot", "8080"] });
    expect(await started.exited).toBe(2);
    expect(started.output()).toMatch(/Unknown option --prot; see --help/);
    expect(fs.existsSync(dataDir)).toBe(false);
  }, 60_000);
});

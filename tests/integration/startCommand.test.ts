import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually";
import { repoRoot } from "../support/hostProcess";

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(dataDir: string, env: Record<string, string> = {}): Started {
  const { FERRY_OPERATOR_KEY: _key, AzureWebJobsStorage: _storage, ...inherited } = process.env;
  const child = spawn(process.execPath, [path.join(repoRoot, "dist/local/start.js"), "--data", dataDir], {
    env: { ...inherited, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.on("data", (c: Buffer) => {
    text += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    text += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function waitFor(started: Started, pattern: RegExp): Promise<RegExpMatchArray> {
  const missing = () => `${pattern} in:\n${started.output()}`;
  const match = await eventually(
    () => {
      const found = started.output().match(pattern);
      if (!found && started.child.exitCode !== null) throw new Error(`It exited; no ${missing()}`);
      return found;
    },
    (found) => found !== null,
    { timeoutMs: 40_000, intervalMs: 100, what: missing },
  );
  return match!;
}

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

  it("brings up Azurite and Ferry on free ports, prints the key, and stops cleanly on Ctrl-C", async () => {
    const first = start(dataDir);
    const api = (await waitFor(first, /Ferry is running at (http:\/\/\S+\/api)/))[1];
    const key = (await waitFor(first, /operator key:\s+(\S+)/))[1];
    const portal = (await waitFor(first, /portal:\s+(http:\/\/\S+\/)\s/))[1];
    expect(new URL(api).port).not.toBe("7071");
    expect(portal).toBe(api.replace(/api$/, ""));
    expect((await fetch(portal)).headers.get("content-type")).toBe("text/html; charset=utf-8");
    const health = await fetch(`${api}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { storage: { reachable: boolean } }).storage.reachable).toBe(true);
    const unauthorized = await fetch(`${api}/projects`);
    expect(unauthorized.status).toBe(401);
    const authorized = await fetch(`${api}/projects`, { headers: { authorization: `Bearer ${key}` } });
    expect(authorized.status).toBe(200);
    const blobPort = Number((await waitFor(first, /blob http:\/\/127\.0\.0\.1:(\d+)/))[1]);
    first.child.kill("SIGINT");
    expect(await first.exited).toBe(0);
    const azuriteGone = await occupy(blobPort);
    expect(azuriteGone).toBeDefined();
    azuriteGone?.close();
    expect(fs.readFileSync(path.join(dataDir, "operator-key"), "utf8").trim()).toBe(key);
    expect(fs.readdirSync(path.join(dataDir, "azurite")).length).toBeGreaterThan(0);

    const second = start(dataDir);
    expect((await waitFor(second, /operator key:\s+(\S+)/))[1]).toBe(key);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  }, 120_000);
});

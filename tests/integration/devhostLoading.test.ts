import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { repoRoot, startHostProcess } from "../support/hostProcess";
import { json, send } from "./devhostClient";

const fixture = (name: string) => path.join(repoRoot, "tests/fixtures", name);

async function withHost(appDir: string, check: (origin: string) => Promise<void>): Promise<void> {
  const host = await startHostProcess({
    appDir,
    storage: inject("storageConnectionString"),
    env: { FIXTURE_TIMER_SCHEDULE: "0 0 0 1 1 *" },
  });
  try {
    await check(host.origin);
  } finally {
    await host.kill();
  }
}

/** Starting the host on `appDir` must fail; resolves to everything it printed. */
async function startupFailure(appDir: string): Promise<string> {
  const started = startHostProcess({ appDir, storage: inject("storageConnectionString") });
  const error = await started.then(
    async (host) => {
      await host.kill();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return (error as Error).message;
}

describe("devhost app loading", () => {
  it("loads every file a package.json main glob matches", async () => {
    await withHost(fixture("http-app"), async (origin) => {
      expect((await send(origin, "/api/hello")).status).toBe(200);
    });
  });

  it("loads a single-file main and serves it under host.json's routePrefix", async () => {
    await withHost(fixture("single-file-app"), async (origin) => {
      const reply = await send(origin, "/v1/ping");
      expect(reply.body.toString()).toBe("pong from single file");
      expect((await send(origin, "/api/ping")).status).toBe(404);
    });
  });

  it("serves a compiled TypeScript app at the root when routePrefix is empty", async () => {
    await withHost(fixture("ts-app"), async (origin) => {
      expect(json(await send(origin, "/greet/ada"))).toEqual({ greeting: "hello ada", compiled: true });
      expect((await send(origin, "/greet/ada1")).status).toBe(404);
    });
  });

  it("refuses a folder without host.json and says so", async () => {
    expect(await startupFailure(fixture("broken/no-host-json"))).toMatch(
      /No host\.json in .*no-host-json: not a Functions app folder/,
    );
  });

  it("refuses an app whose main file is missing, naming it and asking whether it was built", async () => {
    expect(await startupFailure(fixture("broken/missing-main"))).toMatch(
      /main "dist\/notBuilt\.js" matches no file .*notBuilt\.js.*Was the app built\?/,
    );
  });

  it("refuses a storage queue trigger, naming the function and its trigger type", async () => {
    expect(await startupFailure(fixture("broken/queue-trigger"))).toMatch(
      /does not support the trigger of "orderQueueReader" \(queueTrigger\)/,
    );
  });

  it("refuses a durable entity, naming it", async () => {
    expect(await startupFailure(fixture("broken/entity-trigger"))).toMatch(
      /does not support the trigger of "counterEntity" \(entityTrigger\)/,
    );
  });
});

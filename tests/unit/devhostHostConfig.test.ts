import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readHostConfig, resolveSettingRefs } from "../../devhost/app/hostConfig";

const dirs: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "devhost-hostjson-"));
  dirs.push(dir);
  return dir;
}

function appWith(hostJson: unknown): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, "host.json"), typeof hostJson === "string" ? hostJson : JSON.stringify(hostJson));
  return dir;
}

afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe("host.json", () => {
  it("defaults to the api route prefix, a 100 MiB body limit and information logs", () => {
    expect(readHostConfig(appWith({ version: "2.0" }), {})).toEqual({
      routePrefix: "api",
      maxRequestBodyBytes: 100 * 1024 * 1024,
      hubName: "TestHubName",
      maxConcurrentActivityFunctions: 16,
      maxConcurrentOrchestratorFunctions: 16,
      logLevel: "information",
    });
  });

  it("reads the route prefix without its slashes, and an empty one", () => {
    expect(
      readHostConfig(appWith({ version: "2.0", extensions: { http: { routePrefix: "/v1/" } } }), {}).routePrefix,
    ).toBe("v1");
    expect(readHostConfig(appWith({ version: "2.0", extensions: { http: { routePrefix: "" } } }), {}).routePrefix).toBe(
      "",
    );
  });

  it("resolves %Setting% references from the environment", () => {
    const dir = appWith({ version: "2.0", extensions: { durableTask: { hubName: "%HUB%" } } });
    expect(readHostConfig(dir, { HUB: "Blue" }).hubName).toBe("Blue");
    expect(() => readHostConfig(dir, {})).toThrow(/app setting "HUB", which is not set/);
  });

  it("takes the body limit from FUNCTIONS_REQUEST_BODY_SIZE_LIMIT", () => {
    expect(
      readHostConfig(appWith({ version: "2.0" }), { FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: "1024" }).maxRequestBodyBytes,
    ).toBe(1024);
  });

  it("maps logging.logLevel.default to the host's levels", () => {
    expect(
      readHostConfig(appWith({ version: "2.0", logging: { logLevel: { default: "Warning" } } }), {}).logLevel,
    ).toBe("warning");
  });

  it("lets AzureFunctionsJobHost__logging__logLevel__default override the host.json level", () => {
    const dir = appWith({ version: "2.0", logging: { logLevel: { default: "Warning" } } });
    expect(readHostConfig(dir, { AzureFunctionsJobHost__logging__logLevel__default: "Debug" }).logLevel).toBe("debug");
  });

  it("reads durable concurrency limits", () => {
    const config = readHostConfig(
      appWith({
        version: "2.0",
        extensions: { durableTask: { maxConcurrentActivityFunctions: 4, maxConcurrentOrchestratorFunctions: 2 } },
      }),
      {},
    );
    expect([config.maxConcurrentActivityFunctions, config.maxConcurrentOrchestratorFunctions]).toEqual([4, 2]);
  });

  it("refuses a missing host.json and a version other than 2.0", () => {
    expect(() => readHostConfig(tempDir(), {})).toThrow(/No host\.json/);
    expect(() => readHostConfig(appWith({ version: "1.0" }), {})).toThrow(/"version": "2\.0"/);
  });

  it("leaves text without references alone", () => {
    expect(resolveSettingRefs("plain", {})).toBe("plain");
    expect(resolveSettingRefs("%A%-%B%", { A: "x", B: "y" })).toBe("x-y");
  });
});

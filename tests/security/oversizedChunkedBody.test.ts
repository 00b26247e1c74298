import { randomBytes } from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { json, send } from "../integration/devhostClient";
import { eventually } from "../support/eventually";
import { facts, setUpProject, startFerry, type RunningFerry } from "../support/ferryApi";

const hostLimit = 64 * 1024;

/** A valid JSON body padded with whitespace to `size` bytes: without a limit, Ferry would act on it. */
function padded(value: unknown, size: number): Buffer {
  const text = JSON.stringify(value);
  return Buffer.from(text + " ".repeat(Math.max(0, size - text.length)));
}

/** Sends the headers and part of a chunked body, then drops the connection. */
function disconnectMidBody(origin: string, path: string, headers: http.OutgoingHttpHeaders): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request(new URL(path, origin), { method: "POST", headers });
    req.on("error", () => resolve());
    req.on("close", () => resolve());
    req.write(Buffer.alloc(8 * 1024, 0x20), () => setTimeout(() => req.destroy(), 200));
  });
}

// Streamed bodies reach Ferry in process by default; over TCP when the host is told to.
describe.each([
  { mode: "in process", overTcp: "false" },
  { mode: "over TCP", overTcp: "true" },
])("oversized chunked body ($mode)", ({ overTcp }) => {
  let ferry: RunningFerry;
  // Other suites share the storage: what must not appear is a project of this name.
  const name = `too-big-${randomBytes(4).toString("hex")}`;
  const projectBody = { name, geography: "Europe", targetRegion: "westeurope" };
  const projectNames = async () =>
    (await ferry.api.expect<{ value: { name: string }[] }>(ferry.api.get("/projects"), 200)).value.map((p) => p.name);

  beforeAll(async () => {
    ferry = await startFerry(inject("storageConnectionString"), {
      env: { FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: String(hostLimit), DEVHOST_STREAM_OVER_TCP: overTcp },
    });
  });
  afterAll(async () => {
    await ferry?.stop();
  });

  const operatorHeaders = () => ({
    authorization: `Bearer ${ferry.api.operatorKey}`,
    "content-type": "application/json",
  });

  it("refuses a chunked operator body over the host's limit with 413 PayloadTooLarge and creates nothing", async () => {
    const { host } = ferry;
    const body = padded(projectBody, 4 * hostLimit);
    const reply = await send(host.origin, "/api/projects", { body, chunked: true, headers: operatorHeaders() });
    expect(reply.status).toBe(413);
    expect(json(reply)).toMatchObject({ error: { code: "PayloadTooLarge" } });
    expect(await projectNames()).not.toContain(name);
    expect(host.output()).not.toMatch(/Unhandled error| ERROR /);
  });

  it("refuses the same body with a content-length the same way", async () => {
    const { host } = ferry;
    const reply = await send(host.origin, "/api/projects", {
      body: padded(projectBody, 4 * hostLimit),
      headers: operatorHeaders(),
    });
    expect(reply.status).toBe(413);
    expect(json(reply)).toMatchObject({ error: { code: "PayloadTooLarge" } });
    expect(await projectNames()).not.toContain(name);
  });

  it("refuses an unauthenticated chunked agent registration over the limit with 413 and registers nothing", async () => {
    const { api, host } = ferry;
    const project = await setUpProject(api);
    const body = padded({ passphrase: project.passphrase, machine: facts("oversized") }, 4 * hostLimit);
    const reply = await send(host.origin, "/api/agent/register", {
      body,
      chunked: true,
      headers: { "content-type": "application/json" },
    });
    expect(reply.status).toBe(413);
    expect(json(reply)).toMatchObject({ error: { code: "PayloadTooLarge" } });
    const machines = await api.expect<{ value: unknown[] }>(api.get(`/projects/${project.projectId}/machines`), 200);
    expect(machines.value).toEqual([]);
    expect(host.output()).not.toMatch(/Unhandled error| ERROR /);
  });

  it("logs a client that disconnects mid-body as a disconnect, not as an error, and keeps serving", async () => {
    const { host } = ferry;
    await disconnectMidBody(host.origin, "/api/projects", operatorHeaders());
    await eventually(
      () => host.output(),
      (text) => /client disconnected/i.test(text),
      { what: "the disconnect in the host log" },
    );
    expect(host.output()).not.toMatch(/Unhandled error| ERROR /);
    expect(await projectNames()).not.toContain(name);
  });
});

import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { repoRoot, startHostProcess, type HostProcess } from "../support/hostProcess";
import { json, Pattern, peakRssBytes, send, sendHeadersOnly, sha256 } from "./devhostClient";

const httpApp = path.join(repoRoot, "tests/fixtures/http-app");
const MiB = 1024 * 1024;
const limit = 48 * MiB;

interface Digest {
  bytes: number;
  sha256: string;
  contentType: string | null;
}

function startFixture(stream: string, bodyLimit: number, overTcp = "false"): Promise<HostProcess> {
  return startHostProcess({
    appDir: httpApp,
    storage: inject("storageConnectionString"),
    env: {
      FIXTURE_HTTP_STREAM: stream,
      FIXTURE_TIMER_SCHEDULE: "0 0 0 1 1 *",
      FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: String(bodyLimit),
      DEVHOST_STREAM_OVER_TCP: overTcp,
    },
  });
}

// Streamed requests go to the library's proxy in process; over TCP is the fallback when that server is not seen.
describe.each([
  { mode: "buffered", stream: "false", overTcp: "false" },
  { mode: "streamed", stream: "true", overTcp: "false" },
  { mode: "streamed over TCP", stream: "true", overTcp: "true" },
])("devhost HTTP bodies ($mode)", ({ stream, overTcp }) => {
  let host: HostProcess;
  const keyed = () => ({ "x-functions-key": host.functionKey, "content-type": "application/octet-stream" });

  beforeAll(async () => {
    host = await startFixture(stream, limit, overTcp);
  });
  afterAll(async () => {
    await host?.kill();
  });

  it("delivers a 40 MiB binary body intact (same SHA-256)", async () => {
    const body = new Pattern(40 * MiB);
    const reply = await send(host.origin, "/api/digest", { body, declareLength: true, headers: keyed() });
    expect(reply.status).toBe(200);
    expect(json<Digest>(reply)).toEqual({
      bytes: 40 * MiB,
      sha256: body.sha256(),
      contentType: "application/octet-stream",
    });
  });

  it("delivers a chunked upload without content-length intact", async () => {
    const body = new Pattern(20 * MiB + 123);
    const reply = await send(host.origin, "/api/digest", { body, headers: keyed() });
    expect(json<Digest>(reply)).toMatchObject({ bytes: 20 * MiB + 123, sha256: body.sha256() });
  });

  it("accepts a body of exactly the limit", async () => {
    const body = new Pattern(limit);
    const reply = await send(host.origin, "/api/digest", { body, headers: keyed() });
    expect(reply.status).toBe(200);
    expect(json<Digest>(reply).bytes).toBe(limit);
  });

  it("returns a 64 MiB binary response intact", async () => {
    const reply = await send(host.origin, "/api/download/64");
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBe(64 * MiB);
    expect(sha256(reply.body)).toBe(sha256(Buffer.alloc(64 * MiB, 7)));
  });

  it("refuses a declared content-length above the limit with 413 before any body is sent", async () => {
    const reply = await sendHeadersOnly(host.origin, "/api/digest", limit + 1, keyed());
    expect(reply.status).toBe(413);
    expect(json(reply)).toMatchObject({ error: { code: "PayloadTooLarge" } });
  });

  it("refuses a chunked upload that grows past the limit with 413", async () => {
    const reply = await send(host.origin, "/api/digest", { body: new Pattern(limit + MiB), headers: keyed() });
    expect(reply.status).toBe(413);
    expect(json(reply)).toMatchObject({ error: { code: "PayloadTooLarge" } });
  });

  it("answers 413 to a chunked upload past the limit even when the function answers its failed read", async () => {
    const reply = await send(host.origin, "/api/guarded-digest", { body: new Pattern(limit + MiB), headers: keyed() });
    expect(reply.status).toBe(413);
    expect(json(reply)).toMatchObject({ error: { code: "PayloadTooLarge" } });
  });

  it("keeps serving after refusing a body", async () => {
    const reply = await send(host.origin, "/api/digest", { body: Buffer.from("small"), headers: keyed() });
    expect(json<Digest>(reply)).toMatchObject({ bytes: 5, sha256: sha256(Buffer.from("small")) });
  });

  it("drops what a function left unread, so the same connection serves the next request", async () => {
    const oneConnection = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const peeked = await send(host.origin, "/api/peek", {
        body: new Pattern(8 * MiB),
        headers: keyed(),
        agent: oneConnection,
      });
      expect(peeked.status).toBe(200);
      expect(json<{ firstBytes: number }>(peeked).firstBytes).toBeGreaterThan(0);
      const refused = await send(host.origin, "/api/digest", {
        body: new Pattern(limit + MiB),
        headers: keyed(),
        agent: oneConnection,
      });
      expect(refused.status).toBe(413);
      const next = await send(host.origin, "/api/digest", {
        body: Buffer.from("after"),
        headers: keyed(),
        agent: oneConnection,
      });
      expect(json<Digest>(next)).toMatchObject({ bytes: 5, sha256: sha256(Buffer.from("after")) });
    } finally {
      oneConnection.destroy();
    }
  });
});

describe("devhost HTTP streaming memory", () => {
  let host: HostProcess;

  beforeAll(async () => {
    host = await startFixture("true", 512 * MiB);
  });
  afterAll(async () => {
    await host?.kill();
  });

  it("streams a 200 MiB upload without holding it in memory", async () => {
    const pid = host.child.pid ?? 0;
    const body = new Pattern(200 * MiB);
    const before = peakRssBytes(pid);
    const reply = await send(host.origin, "/api/digest", {
      body,
      declareLength: true,
      headers: { "x-functions-key": host.functionKey },
    });
    const growth = peakRssBytes(pid) - before;
    expect(json<Digest>(reply)).toMatchObject({ bytes: 200 * MiB, sha256: body.sha256() });
    expect(growth).toBeLessThan(100 * MiB);
  });
});

import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { repoRoot, startHostProcess, type HostProcess } from "../support/hostProcess";
import { json, send } from "./devhostClient";

const httpApp = path.join(repoRoot, "tests/fixtures/http-app");
const modes = [
  { mode: "buffered", stream: "false" },
  { mode: "streamed", stream: "true" },
];

function countMatches(text: string, pattern: RegExp): number {
  return [...text.matchAll(new RegExp(pattern.source, "g"))].length;
}

describe.each(modes)("devhost HTTP triggers ($mode)", ({ stream }) => {
  let host: HostProcess;

  beforeAll(async () => {
    host = await startHostProcess({
      appDir: httpApp,
      storage: inject("storageConnectionString"),
      env: { FIXTURE_HTTP_STREAM: stream, FIXTURE_TIMER_SCHEDULE: "0 0 0 1 1 *" },
    });
  });
  afterAll(async () => {
    await host?.kill();
  });

  describe("routing", () => {
    it("fills an optional parameter when present and leaves it out when absent", async () => {
      expect(json(await send(host.origin, "/api/hello/ada"))).toMatchObject({ hello: "ada" });
      expect(json(await send(host.origin, "/api/hello"))).toMatchObject({ hello: "world" });
    });

    it("prefers a literal segment over a constrained one over a plain parameter", async () => {
      expect(json(await send(host.origin, "/api/items/latest"))).toEqual({ kind: "literal" });
      expect(json(await send(host.origin, "/api/items/42"))).toEqual({ kind: "int", id: 42, method: "GET" });
      expect(json(await send(host.origin, "/api/items/widget"))).toEqual({ kind: "name", name: "widget" });
    });

    it("falls through to the plain parameter when an int constraint overflows", async () => {
      expect(json(await send(host.origin, "/api/items/99999999999"))).toEqual({ kind: "name", name: "99999999999" });
    });

    it("gives a catch-all the rest of the path, or nothing", async () => {
      expect(json(await send(host.origin, "/api/files/a/b/c.txt"))).toEqual({ path: "a/b/c.txt" });
      expect(json(await send(host.origin, "/api/files"))).toEqual({ path: "" });
    });

    it("matches literal segments and the route prefix case-insensitively", async () => {
      expect(json(await send(host.origin, "/API/Items/LATEST"))).toEqual({ kind: "literal" });
    });

    it("routes a function without a route by its name, with the default methods GET and POST", async () => {
      const reply = await send(host.origin, "/api/defaultRoute", { method: "POST" });
      expect(reply.status).toBe(201);
      expect(reply.body.toString()).toBe("default POST");
      expect((await send(host.origin, "/api/defaultRoute", { method: "PATCH" })).headers.allow).toBe("GET, POST");
    });

    it("answers 404 for unknown paths and paths outside the route prefix", async () => {
      const unknown = await send(host.origin, "/api/nothing/here");
      expect(unknown.status).toBe(404);
      expect(json(unknown)).toMatchObject({ error: { code: "NotFound" } });
      expect((await send(host.origin, "/hello")).status).toBe(404);
    });

    it("answers 405 with an Allow header listing the methods of every matching route", async () => {
      const post = await send(host.origin, "/api/hello", { method: "POST" });
      expect(post.status).toBe(405);
      expect(post.headers.allow).toBe("GET");
      const put = await send(host.origin, "/api/items/7", { method: "PUT" });
      expect(put.status).toBe(405);
      expect(put.headers.allow).toBe("DELETE, GET");
    });

    it("dispatches each declared method of a route", async () => {
      expect(json(await send(host.origin, "/api/items/7", { method: "DELETE" }))).toMatchObject({ method: "DELETE" });
    });
  });

  describe("request data", () => {
    it("hands query parameters and request headers to the function", async () => {
      const reply = await send(host.origin, "/api/echo?color=blue&size=9", {
        headers: { "x-fixture-header": "from-test" },
      });
      expect(json(reply)).toMatchObject({ query: { color: "blue", size: "9" }, header: "from-test" });
    });

    it("hands response headers and status from the function to the caller", async () => {
      const reply = await send(host.origin, "/api/download/1");
      expect(reply.status).toBe(200);
      expect(reply.headers["x-fixture"]).toBe("yes");
      expect(reply.headers["content-type"]).toBe("application/octet-stream");
    });
  });

  describe("keys", () => {
    it("lets anyone call an anonymous function", async () => {
      expect((await send(host.origin, "/api/hello")).status).toBe(200);
    });

    it("requires the function or master key for a function-level function, by header or ?code=", async () => {
      expect((await send(host.origin, "/api/digest", { method: "POST" })).status).toBe(401);
      expect(
        (await send(host.origin, "/api/digest", { method: "POST", headers: { "x-functions-key": "wrong" } })).status,
      ).toBe(401);
      expect(
        (await send(host.origin, "/api/digest", { method: "POST", headers: { "x-functions-key": host.functionKey } }))
          .status,
      ).toBe(200);
      expect((await send(host.origin, `/api/digest?code=${host.functionKey}`, { method: "POST" })).status).toBe(200);
      expect((await send(host.origin, `/api/digest?code=${host.masterKey}`, { method: "POST" })).status).toBe(200);
    });

    it("accepts only the master key for an admin-level function", async () => {
      expect((await send(host.origin, "/api/admin/ping")).status).toBe(401);
      expect(
        (await send(host.origin, "/api/admin/ping", { headers: { "x-functions-key": host.functionKey } })).status,
      ).toBe(401);
      const byHeader = await send(host.origin, "/api/admin/ping", { headers: { "x-functions-key": host.masterKey } });
      expect(byHeader.status).toBe(200);
      expect(byHeader.body.toString()).toBe("pong");
      expect((await send(host.origin, `/api/admin/ping?code=${host.masterKey}`)).status).toBe(200);
    });
  });

  describe("logs and failures", () => {
    it("answers 500 when the function throws and logs one failed execution", async () => {
      const reply = await send(host.origin, "/api/boom");
      expect(reply.status).toBe(500);
      expect(json(reply)).toMatchObject({ error: { code: "InternalServerError" } });
      await host.waitForOutput(/Executed 'Functions\.boom' \(Failed, Id=/);
      expect(countMatches(host.output(), /Executed 'Functions\.boom' \(Failed, Id=[\w-]+, Duration=[\d.]+ms\)/)).toBe(
        1,
      );
    });

    it("logs one line per request with method, path, status, function, invocation id and duration", async () => {
      const { invocationId } = json<{ invocationId: string }>(await send(host.origin, "/api/echo?q=1"));
      const line = new RegExp(
        `INFORMATION host: Request GET /api/echo 200 \\(Functions\\.echo, Id=${invocationId}, Duration=[\\d.]+ms\\)`,
      );
      await host.waitForOutput(line);
      expect(countMatches(host.output(), new RegExp(`Id=${invocationId}`))).toBe(1);
    });

    it("logs the answers the host gives itself (401, 404) with their status, and never a key from the query", async () => {
      expect((await send(host.origin, "/api/admin/ping")).status).toBe(401);
      expect((await send(host.origin, "/api/no-such-function")).status).toBe(404);
      expect((await send(host.origin, `/api/admin/ping?code=${host.masterKey}`)).status).toBe(200);
      await host.waitForOutput(/Request GET \/api\/admin\/ping 401 \(Duration=[\d.]+ms\)/);
      await host.waitForOutput(/Request GET \/api\/no-such-function 404 \(Duration=[\d.]+ms\)/);
      await host.waitForOutput(/Request GET \/api\/admin\/ping 200 \(Functions\.adminOnly, Id=/);
      const requestLines = host
        .output()
        .split("\n")
        .filter((l) => l.includes("host: Request "));
      expect(requestLines.join("\n")).not.toContain(host.masterKey);
    });

    it("prints context.log, warn and error with their levels", async () => {
      await send(host.origin, "/api/echo");
      await host.waitForOutput(/INFORMATION echo: echo info line/);
      await host.waitForOutput(/WARNING echo: echo warning line/);
      await host.waitForOutput(/ERROR echo: echo error line/);
    });

    it("runs the app start hook before serving", () => {
      expect(host.output().indexOf("fixture: app start hook ran")).toBeGreaterThanOrEqual(0);
      expect(host.output().indexOf("fixture: app start hook ran")).toBeLessThan(host.output().indexOf("Host started"));
    });
  });
});

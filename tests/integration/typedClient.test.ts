// The typed client against a small server that speaks the API's wire protocol: pages joined by
// nextLink, errors as { error }, a job that moves from InProgress to Succeeded.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FerryApiError, FerryClient, routes, type Job } from "../../client";

const jobId = "job_01jb2x0000000000000000000a";
const project = "prj_01jb2x0000000000000000000a";
let polls = 0;
const seen: { url: string; authorization?: string }[] = [];

function job(state: string, progress: number) {
  return {
    id: jobId,
    operation: "Migrate",
    displayName: "Migrate",
    state,
    progress,
    tasks: [],
    errors: [],
    warnings: [],
  };
}

const pages: Record<string, object> = {
  [`/api/projects/${project}/policies`]: {
    value: [{ id: "p1" }],
    nextLink: `/api/projects/${project}/policies?page=2`,
  },
  [`/api/projects/${project}/policies?page=2`]: { value: [{ id: "p2" }], nextLink: "policies?page=3" },
  [`/api/projects/${project}/policies?page=3`]: { value: [{ id: "p3" }] },
};

function answer(request: http.IncomingMessage, response: http.ServerResponse): void {
  const url = request.url ?? "";
  seen.push({ url, authorization: request.headers.authorization });
  const send = (status: number, body: object | string) => {
    response.writeHead(status, { "content-type": typeof body === "string" ? "text/html" : "application/json" });
    response.end(typeof body === "string" ? body : JSON.stringify(body));
  };
  if (pages[url]) return send(200, pages[url]);
  if (url === `/api/projects/${project}/jobs/${jobId}`) {
    polls += 1;
    return send(200, polls < 3 ? job("InProgress", 40) : job("Succeeded", 100));
  }
  if (url.startsWith("/api/projects/busy")) {
    return send(409, { error: { code: "OperationInProgress", message: "job in progress", target: "job", jobId } });
  }
  send(502, "<html>Bad gateway</html>");
}

let server: http.Server;
let client: FerryClient;

beforeAll(async () => {
  server = http.createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  client = new FerryClient({
    server: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
    credential: "k1",
  });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the typed client", () => {
  it("follows nextLink, absolute or relative, until the last page", async () => {
    const all = await client.project(project).listAll(routes.listPolicies);
    expect(all.map((p) => p.id)).toEqual(["p1", "p2", "p3"]);
    expect(seen.filter((s) => s.url.includes("policies")).map((s) => s.authorization)).toEqual([
      "Bearer k1",
      "Bearer k1",
      "Bearer k1",
    ]);
  });

  it("throws the API's error with its code, target and job", async () => {
    const error = await client.call(routes.getProject, { params: { projectId: "busy" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FerryApiError);
    expect(error).toMatchObject({ status: 409, code: "OperationInProgress", target: "job", jobId });
  });

  it("gives an answer that is not the API's a code from its status", async () => {
    const error = await client.call(routes.listProjects).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: "Http502", message: "<html>Bad gateway</html>" });
  });

  it("waits for a job, telling each change, and stops waiting (only) when asked", async () => {
    polls = 0;
    const changes: string[] = [];
    const start = job("NotStarted", 0) as unknown as Job;
    const done = await client.project(project).waitForJob(start, (j) => changes.push(j.state), { intervalMs: 10 });
    expect(done.state).toBe("Succeeded");
    expect(changes).toEqual(["InProgress", "Succeeded"]);
    polls = 0;
    const stop = new AbortController();
    const waiting = client
      .project(project)
      .waitForJob(start, () => stop.abort(new Error("stopped")), { intervalMs: 10, signal: stop.signal });
    await expect(waiting).rejects.toThrow("stopped");
  });
});

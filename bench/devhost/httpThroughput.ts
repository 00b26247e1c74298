// Requests/s of an empty HTTP function through the local host (buffered and streamed modes)
// against a bare node:http server, each in its own child process, driven alike.
import path from "node:path";
import type { Bench, BenchContext } from "../support/bench";
import { startNodeChild, type RunningChild } from "../support/childProcess";
import { measureRequestsPerSecond } from "../support/httpLoad";
import { report } from "../support/report";

const distRoot = path.resolve(__dirname, "../..");
const repoRoot = path.resolve(distRoot, "..");
const load = { concurrency: 32, warmupMs: 1_000, durationMs: 5_000 };

async function measure(server: RunningChild, url: string): Promise<number> {
  try {
    const result = await measureRequestsPerSecond({ url, ...load });
    if (result.failures > 0) throw new Error(`${result.failures} failed requests against ${url}`);
    return result.perSecond;
  } finally {
    await server.stop();
  }
}

async function bareServer(): Promise<number> {
  const server = await startNodeChild(
    path.join(distRoot, "bench/devhost/bareServer.js"),
    [],
    process.env,
    /listening on (\d+)/,
  );
  return measure(server, `http://127.0.0.1:${server.ready[1]}/api/empty`);
}

async function devhost(storage: string, stream: boolean): Promise<number> {
  const env = { ...process.env, AzureWebJobsStorage: storage, BENCH_HTTP_STREAM: String(stream) };
  const args = ["--app", path.join(repoRoot, "tests/fixtures/empty-http-app"), "--port", "0"];
  const server = await startNodeChild(
    path.join(distRoot, "devhost/cli/host.js"),
    args,
    env,
    /Serving .* at (http:\/\/\S+)/,
  );
  return measure(server, `${server.ready[1]}/api/empty`);
}

export const httpThroughput: Bench = {
  name: "devhost/httpThroughput",
  async run(context: BenchContext) {
    const storage = await context.storage();
    const bare = await bareServer();
    const baseline = { name: "bare node:http", value: bare };
    report({ name: "bare node:http, empty 200 (c=32, keep-alive)", value: bare, unit: "req/s" });
    report({
      name: "devhost empty function, buffered (c=32, keep-alive)",
      value: await devhost(storage, false),
      unit: "req/s",
      baseline,
    });
    report({
      name: "devhost empty function, streamed (c=32, keep-alive)",
      value: await devhost(storage, true),
      unit: "req/s",
      baseline,
    });
  },
};

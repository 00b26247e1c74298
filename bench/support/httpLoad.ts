import http from "node:http";

export interface LoadOptions {
  url: string;
  /** Requests in flight at once, each on its own keep-alive connection. */
  concurrency: number;
  /** Requests before the measured window, not counted (connections, JIT). */
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  requests: number;
  failures: number;
  perSecond: number;
}

function get(url: URL, agent: http.Agent): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200));
      res.on("error", () => resolve(false));
    });
    req.on("error", () => resolve(false));
  });
}

/** Drives `url` with GETs from `concurrency` loops for a fixed time; loopback only. */
export async function measureRequestsPerSecond(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname))
    throw new Error(`Load only loopback, not ${url.hostname}.`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const started = Date.now();
  const measureFrom = started + options.warmupMs;
  const end = measureFrom + options.durationMs;
  let requests = 0;
  let failures = 0;
  const loop = async () => {
    while (Date.now() < end) {
      const ok = await get(url, agent);
      if (Date.now() < measureFrom) continue;
      if (ok) requests++;
      else failures++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  agent.destroy();
  return { requests, failures, perSecond: requests / (options.durationMs / 1000) };
}

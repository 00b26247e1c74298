/** A small operator client for the demo: JSON in, JSON out, errors with their codes. */
export class OperatorClient {
  constructor(
    readonly api: string,
    private readonly key: string,
  ) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.api}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.key}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Downloads a stream and returns the SHA-256 of its first `bytes` bytes and its total length. */
  async digest(path: string, bytes: number): Promise<{ sha256: string; length: number }> {
    const { createHash } = await import("node:crypto");
    const response = await fetch(`${this.api}${path}`, { headers: { authorization: `Bearer ${this.key}` } });
    if (!response.ok || !response.body) throw new Error(`GET ${path} → ${response.status}`);
    const hash = createHash("sha256");
    let length = 0;
    for await (const chunk of response.body) {
      const data = Buffer.from(chunk as Uint8Array);
      const take = Math.max(0, Math.min(data.length, bytes - length));
      if (take > 0) hash.update(data.subarray(0, take));
      length += data.length;
    }
    return { sha256: hash.digest("hex"), length };
  }
}

export interface JobTask {
  name: string;
  state: string;
  note?: string;
}

export interface Job {
  id: string;
  displayName: string;
  state: string;
  tasks: JobTask[];
  warnings: string[];
  errors: { code: string; message: string }[];
  result?: Record<string, unknown>;
}

/** Polls a job until it finishes. */
export async function waitForJob(
  client: OperatorClient,
  projectId: string,
  jobId: string,
  timeoutMs = 180_000,
): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await client.call<Job>("GET", `/projects/${projectId}/jobs/${jobId}`);
    if (["Succeeded", "Failed", "Cancelled"].includes(job.state)) return job;
    if (Date.now() > deadline)
      throw new Error(`Job ${jobId} (${job.displayName}) still ${job.state} after ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Polls until `check` returns a value. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

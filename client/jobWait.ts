import type { z } from "zod";
import type { jobSchema } from "../shared/api/jobs";
import { isJobFinished } from "../shared/domain/jobs";

export type Job = z.infer<typeof jobSchema>;

export interface WaitOptions {
  /** Stops waiting (the job goes on): the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The first pause between polls; it grows while nothing changes and starts over when something does. */
  intervalMs?: number;
  maxIntervalMs?: number;
}

/** Polls `read` until the job has ended, telling `onProgress` of every change on the way. */
export async function waitForJob(
  read: (signal?: AbortSignal) => Promise<Job>,
  job: Job,
  onProgress: ((job: Job) => void) | undefined,
  options: WaitOptions = {},
): Promise<Job> {
  const first = options.intervalMs ?? 250;
  const longest = options.maxIntervalMs ?? 2_000;
  let current = job;
  let seen = JSON.stringify(job);
  let interval = first;
  while (!isJobFinished(current)) {
    await pause(interval, options.signal);
    current = await read(options.signal);
    const now = JSON.stringify(current);
    if (now === seen) {
      interval = Math.min(longest, Math.round(interval * 1.5));
      continue;
    }
    seen = now;
    interval = first;
    onProgress?.(current);
  }
  return current;
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

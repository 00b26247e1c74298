import { randomUUID } from "node:crypto";
import os from "node:os";
import type { ContainerClient } from "@azure/storage-blob";
import { log } from "../../log";
import { statusCodeOf } from "./errors";

const leaseBlob = "hub.lease";
const leaseSeconds = 15;
const renewMs = 5_000;
const retryMs = 500;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface HubLease {
  release(): Promise<void>;
}

/**
 * One host drives a task hub: it holds a blob lease, renewed while it runs. A lease left by
 * a host on this machine whose process is gone (a crash) is broken at once, so a restart
 * resumes without waiting for the lease to expire.
 */
export async function acquireHubLease(container: ContainerClient, hubName: string, waitMs: number): Promise<HubLease> {
  const blob = container.getBlockBlobClient(leaseBlob);
  await blob.upload("", 0, { conditions: { ifNoneMatch: "*" } }).catch((e: unknown) => {
    if (statusCodeOf(e) !== 409 && statusCodeOf(e) !== 412) throw e;
  });
  const lease = blob.getBlobLeaseClient(randomUUID());
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await lease.acquireLease(leaseSeconds);
      break;
    } catch (error) {
      if (statusCodeOf(error) !== 409) throw error;
      const owner = (await blob.getProperties()).metadata ?? {};
      if (owner.hostname === os.hostname() && !alive(Number(owner.pid))) await lease.breakLease(0);
      else if (Date.now() > deadline) {
        throw new Error(
          `Task hub "${hubName}" is driven by another host (pid ${owner.pid} on ${owner.hostname}); ` +
            "use another hub name or stop that host.",
          { cause: error },
        );
      } else await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
  await blob.setMetadata(
    { pid: String(process.pid), hostname: os.hostname() },
    { conditions: { leaseId: lease.leaseId } },
  );
  const renew = setInterval(() => {
    lease
      .renewLease()
      .catch((e: unknown) => log("error", "durable", `Lost the lease on task hub "${hubName}": ${String(e)}`));
  }, renewMs);
  renew.unref();
  return {
    async release() {
      clearInterval(renew);
      await lease.releaseLease().catch(() => undefined);
    },
  };
}

/**
 * Verification of a recovery point: each disk's SHA-256 over its real size (not the VHD
 * padding or footer), read from the point's snapshot in ranges of a few MiB.
 */
import { createHash } from "node:crypto";
import { changeJob, insertJob } from "../../controlPlane/jobStore";
import type { ControlPlaneDeps } from "../../controlPlane/deps";
import { createJob, setJobResult, setTaskProgress, type Job } from "../../domain/jobs";
import { taskNames } from "../../domain/jobTasks";
import { ok } from "../../domain/result";
import {
  getPoint,
  pinRecoveryPoint,
  replicaRef,
  unpinRecoveryPoint,
  type DataPathDeps,
  type SettledDisk,
} from "../store";
import { settledPoint } from "./settlePoint";

const RANGE_BYTES = 8 * 1024 * 1024;

/** The disk's bytes at the point, hashed in order while the next range downloads. */
export async function snapshotDigest(
  deps: DataPathDeps,
  projectId: string,
  itemId: string,
  disk: SettledDisk,
  onBytes?: (done: number) => Promise<void>,
): Promise<string> {
  const ref = replicaRef(projectId, itemId, disk.diskId);
  const hash = createHash("sha256");
  const fetch = (at: number) => deps.replicas.read(ref, at, Math.min(RANGE_BYTES, disk.sizeBytes - at), disk.snapshot);
  let next = disk.sizeBytes > 0 ? fetch(0) : undefined;
  for (let at = 0; at < disk.sizeBytes; at += RANGE_BYTES) {
    const range = await (next as Promise<Buffer>);
    next = at + RANGE_BYTES < disk.sizeBytes ? fetch(at + RANGE_BYTES) : undefined;
    hash.update(range);
    await onBytes?.(at + range.length);
  }
  return hash.digest("hex");
}

/**
 * Writes the job, then pins the point to it before answering, so retention cannot remove the
 * point before the job reads it (retention ignores pins whose job is missing or finished).
 */
export async function beginVerify(
  deps: ControlPlaneDeps,
  projectId: string,
  itemId: string,
  pointId: string,
): Promise<Job> {
  await getPoint(deps, projectId, itemId, pointId);
  const job = createJob({
    id: deps.newId("job"),
    operation: "VerifyRecoveryPoint",
    itemId,
    now: deps.now(),
    parameters: { recoveryPointId: pointId },
  });
  await insertJob(deps, projectId, job);
  await pinRecoveryPoint(deps, itemId, pointId, job.id);
  return job;
}

export interface VerifyRef {
  projectId: string;
  jobId: string;
  itemId: string;
  recoveryPointId: string;
}

/** Computes every disk's digest, reporting progress, then records the result and releases the point. */
export async function computeDigests(deps: DataPathDeps, ref: VerifyRef): Promise<string> {
  // Pinned while read (again, if a retry runs after the pin was released), released whatever happens.
  await pinRecoveryPoint(deps, ref.itemId, ref.recoveryPointId, ref.jobId);
  try {
    return await hashPoint(deps, ref);
  } finally {
    await unpinRecoveryPoint(deps, ref.itemId, ref.recoveryPointId, ref.jobId);
  }
}

async function hashPoint(deps: DataPathDeps, ref: VerifyRef): Promise<string> {
  const point = await settledPoint(
    deps,
    ref.projectId,
    ref.itemId,
    await getPoint(deps, ref.projectId, ref.itemId, ref.recoveryPointId),
  );
  const total = point.disks.reduce((sum, d) => sum + d.sizeBytes, 0);
  const task = taskNames.verify[1];
  let before = 0;
  let reported = 0;
  const disks: { diskId: string; sizeBytes: number; sha256: string }[] = [];
  for (const disk of point.disks) {
    const sha256 = await snapshotDigest(deps, ref.projectId, ref.itemId, disk, async (done) => {
      const percent = Math.floor(((before + done) / Math.max(1, total)) * 100);
      if (percent < reported + 10) return;
      reported = percent;
      await changeJob(deps, ref.projectId, ref.jobId, (j) => setTaskProgress(j, task, percent, deps.now()));
    });
    before += disk.sizeBytes;
    disks.push({ diskId: disk.diskId, sizeBytes: disk.sizeBytes, sha256 });
  }
  const result = { recoveryPointId: point.id, time: point.time, type: point.type, disks };
  await changeJob(deps, ref.projectId, ref.jobId, (j) => ok(setJobResult(j, result)));
  return `${disks.length} disk(s) hashed.`;
}

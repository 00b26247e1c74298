/**
 * A migration's wait for the source's last changes, whole. The migrate job's shutdown task asks
 * the agent for a final sync (`askForFinalSync`) and waits for `finalSyncEvent`; the agent runs its
 * shutdown command and sends one final cycle, which makes the final recovery point
 * (`replication/points`); the agent's cycle handler (`functions/http/agentData.ts`) then asks
 * `finalSyncArrived` which job to wake and raises the event with that point; the woken task
 * concludes from what woke it (`concludeFinalSync`), or from the time-out.
 */
import type { ControlPlaneDeps } from "../controlPlane/deps";
import { changeItem, getItemRow } from "../controlPlane/items";
import { changeJob, getJob } from "../controlPlane/jobStore";
import { addJobWarning } from "../domain/jobs";
import { ok } from "../domain/result";
import type { JobRef, TaskResume, TaskWait } from "./taskTypes";

/** Wakes the migration waiting for its final sync; the payload is the final cycle's `{ recoveryPointId }`. */
export const finalSyncEvent = "FinalSyncDone";

/** Tells the agent (at its next heartbeat) to shut the source down and send its final changes, then waits (bounded). */
export async function askForFinalSync(deps: ControlPlaneDeps, job: JobRef): Promise<TaskWait> {
  await changeItem(deps, job.projectId, job.itemId, (r) =>
    r.agentAction === "FinalSync" ? undefined : { ...r, agentAction: "FinalSync" },
  );
  return { wait: { event: finalSyncEvent, timeoutSeconds: job.parameters?.finalSyncTimeoutSeconds ?? 900 } };
}

/**
 * A final cycle arrived: the running migration it ends, if any (its job id is its orchestration's
 * id, to wake). From now on the item takes no more data — a batch after the final point would be
 * acknowledged yet missing from the migrated VM. A resent final cycle finds the same migration.
 */
export async function finalSyncArrived(
  deps: ControlPlaneDeps,
  projectId: string,
  itemId: string,
): Promise<string | undefined> {
  const row = await getItemRow(deps, projectId, itemId);
  if (!row.currentJobId) return undefined;
  const job = await getJob(deps, projectId, row.currentJobId);
  if (job.operation !== "Migrate" || job.state !== "InProgress") return undefined;
  await changeItem(deps, projectId, itemId, (r) =>
    r.currentJobId === job.id && r.agentAction === "FinalSync" ? { ...r, agentAction: undefined } : undefined,
  );
  return job.id;
}

/**
 * What the woken task concludes: the final point becomes the migration's; with none in time the
 * job carries a warning and the migration fails over from the latest point.
 */
export async function concludeFinalSync(deps: ControlPlaneDeps, job: JobRef, resumed: TaskResume): Promise<string> {
  const final = (resumed.event as { recoveryPointId?: string } | undefined)?.recoveryPointId;
  if (final) {
    await changeItem(deps, job.projectId, job.itemId, (r) => ({ ...r, migratePointId: r.migratePointId ?? final }));
    return `The source shut down and sent its final changes (recovery point ${final}).`;
  }
  const warning =
    "The source did not confirm its shutdown and final changes in time: " +
    "the migration fails over from the latest recovery point, so changes made after it may be lost.";
  await changeJob(deps, job.projectId, job.jobId, (j) => ok(addJobWarning(j, warning)));
  return "No answer from the agent in time; failing over from the latest recovery point.";
}

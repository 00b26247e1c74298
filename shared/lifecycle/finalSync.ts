import type { ControlPlaneDeps } from "../controlPlane/deps";
import { changeItem, getItemRow } from "../controlPlane/items";
import { getJob } from "../controlPlane/jobStore";

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

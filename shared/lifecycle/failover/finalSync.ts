import type { ControlPlaneDeps } from "../../controlPlane/deps";
import { getItemRow } from "../../controlPlane/items";
import { getJob } from "../../controlPlane/jobStore";

/** The running migration waiting for this item's final changes, if any (its job id is its orchestration's id). */
export async function migrationAwaitingFinalSync(deps: ControlPlaneDeps, projectId: string, itemId: string): Promise<string | undefined> {
  const row = await getItemRow(deps, projectId, itemId);
  if (!row.currentJobId || row.agentAction !== "FinalSync") return undefined;
  const job = await getJob(deps, projectId, row.currentJobId);
  return job.operation === "Migrate" && job.state === "InProgress" ? job.id : undefined;
}

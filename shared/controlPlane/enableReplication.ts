import type { EnableReplicationRequest } from "../api/replications";
import { errors, isFerryError } from "../domain/errors";
import { newItemState } from "../domain/itemState";
import { createJob, type Job } from "../domain/jobs";
import { columns } from "../storage/columns";
import type { ItemRow } from "../storage/rows";
import type { ControlPlaneDeps } from "./deps";
import { insertJob } from "./jobStore";
import { getMachine } from "./machines";
import { getPolicy } from "./policies";
import { lockTargetRegion } from "./projects";
import { planTarget, type TargetChoiceDeps } from "./targetSettings";

/** The item and job that already hold a machine, as the 409 a second request gets. */
async function claimConflict(deps: ControlPlaneDeps, projectId: string, machineId: string): Promise<Error> {
  const claim = await deps.stores.machineClaims.get(projectId, machineId);
  const item = claim ? await deps.stores.items.get(projectId, claim.value.itemId) : undefined;
  if (claim && (!item || item.value.currentJobId))
    return errors.operationInProgress(claim.value.jobId, "EnableMigration");
  return errors.conflict(`Machine ${machineId} is already replicating as ${claim?.value.itemId}.`, "machineId");
}

/**
 * Validates the request and checks the placement with the target provider (an Azure group the
 * identity may not use is refused here, not at failover), then claims the machine (an insert: of
 * two concurrent requests exactly one wins) and writes the job before the item that points at it.
 * The caller starts the orchestration whose instance id is the job id.
 */
export async function beginEnableReplication(
  deps: ControlPlaneDeps & TargetChoiceDeps,
  projectId: string,
  request: EnableReplicationRequest,
): Promise<{ itemId: string; job: Job }> {
  const machine = await getMachine(deps, projectId, request.machineId);
  await getPolicy(deps, projectId, request.policyId);
  const { target, disks } = planTarget(machine, request.target, deps.config.targetDefaults);
  await deps.targets.checkTarget(target);
  const itemId = deps.newId("item");
  const now = deps.now();
  const job = createJob({ id: deps.newId("job"), operation: "EnableMigration", itemId, now });
  try {
    await deps.stores.machineClaims.insert(projectId, machine.id, { itemId, jobId: job.id });
  } catch (error) {
    if (isFerryError(error) && error.code === "AlreadyExists") throw await claimConflict(deps, projectId, machine.id);
    throw error;
  }
  try {
    await lockTargetRegion(deps, projectId);
    await insertJob(deps, projectId, job);
    const row: ItemRow = {
      machineId: machine.id,
      machineName: machine.hostname,
      policyId: request.policyId,
      ...newItemState(),
      target: columns.itemTarget.serialize(target),
      disks: columns.itemDisks.serialize(disks),
      currentJobId: job.id,
      initialSeedingProgress: 0,
      // The agent was heard as the machine's already: health must not call it silent until its next heartbeat.
      ...(machine.lastHeartbeatTime ? { lastHeartbeatTime: machine.lastHeartbeatTime } : {}),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    await deps.stores.items.insert(projectId, itemId, row);
  } catch (error) {
    // Release the claim so a failed attempt never blocks the machine.
    await deps.stores.jobs.delete(projectId, job.id);
    await deps.stores.machineClaims.delete(projectId, machine.id);
    throw error;
  }
  return { itemId, job };
}

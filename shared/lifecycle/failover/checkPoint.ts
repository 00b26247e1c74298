import type { ControlPlaneDeps } from "../../controlPlane/deps";
import { getItemRow } from "../../controlPlane/items";
import { checkRecoveryPointChoice, type RecoveryPointChoice } from "../../domain/recoveryPoints";
import { unwrap } from "../../domain/result";
import { pointsAsRetentionSees } from "../../replication/store";

/**
 * Refuses a recovery point the operation could not use when its task runs — unknown, another
 * item's, being pruned, or no point of the named kind — before anything changes: 404 NotFound
 * for an id the item does not have, 409 NoRecoveryPoint otherwise. It pins nothing (the task does).
 */
export async function checkChosenPoint(
  deps: ControlPlaneDeps,
  projectId: string,
  itemId: string,
  choice: RecoveryPointChoice,
): Promise<void> {
  const item = await getItemRow(deps, projectId, itemId);
  // Without its policy retention prunes nothing (replication/points/maintenance.ts).
  const policy = await deps.stores.policies.get(projectId, item.policyId);
  const retention = {
    now: deps.now(),
    retentionHours: policy?.value.recoveryPointRetentionHours ?? Number.POSITIVE_INFINITY,
  };
  unwrap(checkRecoveryPointChoice(await pointsAsRetentionSees(deps, projectId, itemId), choice, retention));
}

import { finalSyncEstimate, itemState } from "../controlPlane/items";
import type { PlanDeps } from "./deps";
import type { StoredPlan } from "./planStore";

/** A plan as the API shows it: each group's items with their names and states (a removed item: its id only). */
export async function planView(deps: PlanDeps, plan: StoredPlan) {
  const groups = await Promise.all(
    plan.groups.map(async (group) => ({
      ...group,
      items: await Promise.all(
        group.items.map(async (itemId) => {
          const row = (await deps.stores.items.get(plan.projectId, itemId))?.value;
          if (!row) return { id: itemId, name: itemId };
          const { migrationState, testMigrateState } = itemState(row);
          const estimate = await finalSyncEstimate(deps, plan.projectId, row);
          return {
            id: itemId,
            name: row.machineName,
            migrationState,
            testMigrateState,
            ...(estimate === undefined ? {} : { estimatedFinalSyncSeconds: estimate }),
          };
        }),
      ),
    })),
  );
  return {
    id: plan.id,
    projectId: plan.projectId,
    name: plan.name,
    ...(plan.description === undefined ? {} : { description: plan.description }),
    groups,
    ...(plan.currentJobId === undefined ? {} : { currentJobId: plan.currentJobId }),
    createTime: plan.createTime,
    updateTime: plan.updateTime,
  };
}

import { changeItem, getItemRow, itemState, withState, type ItemTarget } from "../../controlPlane/items";
import { getMachine } from "../../controlPlane/machines";
import { getPolicy } from "../../controlPlane/policies";
import { enableMigrationSucceeded } from "../../domain/itemTransitions";
import { taskNames } from "../../domain/jobTasks";
import { unwrap } from "../../domain/result";
import type { TaskWork } from "../taskTypes";

const [prerequisites, identifyTarget, enable, startInitial, updateProvider] = taskNames.enable;

/** Start replication: the item's machine, policy and target checked, then initial replication waits for the agent. */
export const enableTasks: Record<string, TaskWork> = {
  [prerequisites]: async (deps, job) => {
    const item = await getItemRow(deps, job.projectId, job.itemId);
    await getMachine(deps, job.projectId, item.machineId);
    await getPolicy(deps, job.projectId, item.policyId);
    return undefined;
  },
  [identifyTarget]: async (deps, job) => {
    const target = JSON.parse((await getItemRow(deps, job.projectId, job.itemId)).target) as ItemTarget;
    return (
      `Target: ${target.vmName} (${target.vmSize}) in ${target.resourceGroup}, ` +
      `network ${target.network}/${target.subnet}.`
    );
  },
  [enable]: async () => undefined,
  [startInitial]: async (deps, job) => {
    await changeItem(deps, job.projectId, job.itemId, (row) => {
      const next = unwrap(enableMigrationSucceeded(itemState(row)));
      return next === itemState(row) ? undefined : withState(row, next, deps.now());
    });
    return "Waiting for the agent to send the initial copy.";
  },
  [updateProvider]: async () => undefined,
};

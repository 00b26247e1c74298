import { agentKeySecretName } from "../../controlPlane/agents";
import { getItemRow } from "../../controlPlane/items";
import { taskNames } from "../../domain/jobTasks";
import type { TaskWork } from "../taskTypes";

const [check, disable, deleteCache, revoke, provider] = taskNames.disable;

/**
 * Complete migration: replication stops, cached data goes, the agent's credentials are revoked;
 * a migrated VM stays.
 */
export const disableTasks: Record<string, TaskWork> = {
  [check]: async (deps, job) => {
    await getItemRow(deps, job.projectId, job.itemId);
    return undefined;
  },
  [disable]: async () => "The agent is told to stop at its next heartbeat.",
  [deleteCache]: async (deps, job) => (deps.itemData ? deps.itemData.remove(job.projectId, job.itemId) : undefined),
  [revoke]: async (deps, job) => {
    const { machineId, migratedVmId } = await getItemRow(deps, job.projectId, job.itemId);
    // What the agent hears from now on, written before its key goes: it stops instead of failing.
    await deps.stores.retiredAgents.upsert(machineId, "retired", {
      projectId: job.projectId,
      retiredAt: deps.now().toISOString(),
      reason: migratedVmId ? "MigrationCompleted" : "ReplicationDisabled",
    });
    // The row first: every signed request reads it, while a host may keep the key itself a while.
    await deps.stores.agents.delete(machineId, "agent");
    await deps.secrets.remove(agentKeySecretName(machineId));
    return "The agent's key no longer works; the agent is told to stop.";
  },
  [provider]: async () => undefined,
};

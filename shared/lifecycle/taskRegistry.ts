import type { ControlPlaneDeps } from "../controlPlane/deps";
import { changeItem, getItemRow, itemState, withState, type ItemTarget } from "../controlPlane/items";
import { getMachine } from "../controlPlane/machines";
import { getPolicy } from "../controlPlane/policies";
import { enableMigrationSucceeded } from "../domain/itemTransitions";
import type { JobOperation } from "../domain/jobTasks";
import { taskNames } from "../domain/jobTasks";
import { unwrap } from "../domain/result";
import { disableTasks } from "./tasks/disable";
import { migrateTasks } from "./tasks/migrate";
import { testMigrateCleanupTasks, testMigrateTasks } from "./tasks/testMigrate";
import { verifyTasks } from "./tasks/verify";
import type { OperationParameters } from "./taskTypes";

export interface JobRef {
  projectId: string;
  jobId: string;
  itemId: string;
  parameters?: OperationParameters;
}

/** A task that must wait for something outside (the agent's final changes) before it can finish. */
export interface TaskWait {
  wait: { event: string; timeoutSeconds: number };
}

/** How a waiting task was woken: the event's payload, or the time-out. */
export interface TaskResume {
  event?: unknown;
  timedOut?: boolean;
}

/**
 * The work behind one task; it may run more than once (activities are at-least-once), so it
 * is idempotent. Returns a note for the job, or a wait (the task is then run again with `resumed`).
 */
export type TaskWork = (
  deps: ControlPlaneDeps,
  job: JobRef & { resumed?: TaskResume },
) => Promise<string | undefined | TaskWait>;

const [prerequisites, identifyTarget, enable, startInitial, updateProvider] = taskNames.enable;

const enableTasks: Record<string, TaskWork> = {
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

const note =
  (text: string): TaskWork =>
  async () =>
    text;
const nothing: TaskWork = async () => undefined;

const [pauseTask] = taskNames.pause;
const [resumeTask] = taskNames.resume;
const [resyncCheck, resyncStart, resyncProvider] = taskNames.resync;

/** Task implementations per operation; operations without an entry here cannot run yet. */
export const taskWork: Partial<Record<JobOperation, Record<string, TaskWork>>> = {
  EnableMigration: enableTasks,
  PauseReplication: { [pauseTask]: note("The agent stops sending changes at its next heartbeat.") },
  ResumeReplication: { [resumeTask]: note("The agent resumes sending changes at its next heartbeat.") },
  StartResync: {
    [resyncCheck]: nothing,
    [resyncStart]: note("The agent re-reads the source and sends every block that differs."),
    [resyncProvider]: nothing,
  },
  DisableMigration: disableTasks,
  VerifyRecoveryPoint: verifyTasks,
  TestMigrate: testMigrateTasks,
  TestMigrateCleanup: testMigrateCleanupTasks,
  Migrate: migrateTasks,
};

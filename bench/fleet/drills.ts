/**
 * The drills on the whole fleet as one recovery plan of three groups: test-migrated, cleaned up and
 * migrated (the agents' shutdown command is `true`), each as one plan job. Each group's time is its
 * group task's own start-to-end time in the job; the job's own items' jobs are read for warnings.
 */
import { routes, type Job, type ProjectClient } from "../../client";

export type Drill = "test-migrate" | "test-migrate-cleanup" | "migrate";

export interface GroupRun {
  drill: Drill;
  /** The group's task name, e.g. `Group 1 (db)`. */
  group: string;
  items: number;
  seconds: number;
}

export interface PlanRun {
  drill: Drill;
  /** The plan job's start to end. */
  seconds: number;
  groups: GroupRun[];
  /** A job that did not succeed, a task that did not, or an item job's warning (a migration off its final point). */
  problems: string[];
}

const groupNames = ["db", "app", "web"];

/** One plan of the items in `count` groups in their order, sizes differing by one at most. */
export async function createFleetPlan(project: ProjectClient, itemIds: readonly string[], count = 3) {
  const groups = splitGroups(itemIds, count).map((items, i) => ({ name: groupNames[i] ?? `g${i + 1}`, items }));
  const { plan } = await project.call(routes.createRecoveryPlan, { body: { name: "fleet", groups } });
  return plan.id;
}

function start(project: ProjectClient, drill: Drill, planId: string): Promise<{ job: Job }> {
  const params = { planId };
  if (drill === "test-migrate") return project.call(routes.testMigratePlan, { params, body: { network: "test-vnet" } });
  if (drill === "test-migrate-cleanup") return project.call(routes.testMigrateCleanupPlan, { params });
  return project.call(routes.migratePlan, { params, body: { shutdownSource: true } });
}

const seconds = (from?: string, to?: string) =>
  from && to ? (new Date(to).getTime() - new Date(from).getTime()) / 1000 : Number.NaN;

function groupRuns(drill: Drill, job: Job): GroupRun[] {
  return job.tasks
    .filter((task) => task.kind === "Group")
    .map((group) => ({
      drill,
      group: group.name,
      items: job.tasks.filter((task) => task.kind === "Item" && task.name.startsWith(`${group.name}: `)).length,
      seconds: seconds(group.startTime, group.endTime),
    }));
}

async function itemWarnings(project: ProjectClient, drill: Drill, job: Job): Promise<string[]> {
  const itemJobs = job.tasks.flatMap((task) => (task.kind === "Item" && task.jobId ? [task.jobId] : []));
  const jobs = await Promise.all(itemJobs.map((jobId) => project.call(routes.getJob, { params: { jobId } })));
  return jobs.flatMap((j) => j.warnings.map((warning) => `${drill} ${j.itemId}: warning: ${warning}`));
}

/** Runs one plan operation to its end. */
export async function runPlan(project: ProjectClient, planId: string, drill: Drill, timeoutMs = 900_000) {
  const { job } = await start(project, drill, planId);
  const ended = await project.waitForJob(job, undefined, { signal: AbortSignal.timeout(timeoutMs) });
  const problems = ended.tasks
    .filter((task) => task.state !== "Succeeded")
    .map((task) => `${drill} ${task.name}: ${task.state} ${task.errors.map((e) => e.message).join("; ")}`);
  if (ended.state !== "Succeeded")
    problems.unshift(`${drill}: ${ended.state} ${ended.errors.map((e) => `${e.code}: ${e.message}`).join("; ")}`);
  problems.push(...ended.warnings.map((warning) => `${drill}: warning: ${warning}`));
  problems.push(...(await itemWarnings(project, drill, ended)));
  const run: PlanRun = {
    drill,
    seconds: seconds(ended.startTime, ended.endTime),
    groups: groupRuns(drill, ended),
    problems,
  };
  return run;
}

/** Migrates one item through its own operation (the baseline machine, outside any plan). */
export async function migrateItem(project: ProjectClient, itemId: string, timeoutMs = 900_000): Promise<string[]> {
  const { job } = await project.call(routes.migrate, { params: { itemId }, body: { shutdownSource: true } });
  const ended = await project.waitForJob(job, undefined, { signal: AbortSignal.timeout(timeoutMs) });
  if (ended.state !== "Succeeded")
    return [`migrate ${itemId}: ${ended.state} ${ended.errors.map((e) => `${e.code}: ${e.message}`).join("; ")}`];
  return ended.warnings.map((warning) => `migrate ${itemId}: warning: ${warning}`);
}

/** Splits the items into `count` groups in their order, sizes differing by one at most (10 → 4, 3, 3). */
export function splitGroups<T>(items: readonly T[], count: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0, at = 0; i < count; i++) {
    const size = Math.floor(items.length / count) + (i < items.length % count ? 1 : 0);
    groups.push(items.slice(at, (at += size)));
  }
  return groups.filter((group) => group.length > 0);
}

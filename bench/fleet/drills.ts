/**
 * The drills on the whole fleet, in groups as a recovery plan orders them: test-migrate group by
 * group (the items of a group in parallel, the next group once all of them are done), clean up in
 * reverse order, then migrate (the agents' shutdown command is `true`). Until plans exist on the
 * host this drives each group through the items' own operations; each group's time is its jobs'
 * wall-clock time, from the first POST to the last job's end.
 */
import { routes, type Job, type ProjectClient } from "../../client";

export type Drill = "test-migrate" | "test-migrate-cleanup" | "migrate";

export interface GroupRun {
  drill: Drill;
  group: number;
  items: number;
  seconds: number;
  /** Jobs that did not succeed, or that succeeded with warnings (a migration off its final point). */
  problems: string[];
}

function start(project: ProjectClient, drill: Drill, itemId: string): Promise<{ job: Job }> {
  const params = { itemId };
  if (drill === "test-migrate") return project.call(routes.testMigrate, { params, body: { network: "test-vnet" } });
  if (drill === "test-migrate-cleanup") return project.call(routes.testMigrateCleanup, { params });
  return project.call(routes.migrate, { params, body: { shutdownSource: true } });
}

async function runItem(project: ProjectClient, drill: Drill, itemId: string, timeoutMs: number): Promise<string[]> {
  const { job } = await start(project, drill, itemId);
  const ended = await project.waitForJob(job, undefined, { signal: AbortSignal.timeout(timeoutMs) });
  if (ended.state !== "Succeeded")
    return [`${drill} ${itemId}: ${ended.state} ${ended.errors.map((e) => `${e.code}: ${e.message}`).join("; ")}`];
  return ended.warnings.map((warning) => `${drill} ${itemId}: warning: ${warning}`);
}

async function runGroup(
  project: ProjectClient,
  drill: Drill,
  group: number,
  itemIds: readonly string[],
  timeoutMs: number,
): Promise<GroupRun> {
  const started = performance.now();
  const outcomes = await Promise.all(
    itemIds.map((id) => runItem(project, drill, id, timeoutMs).catch((error: unknown) => [`${drill} ${id}: ${error}`])),
  );
  const seconds = (performance.now() - started) / 1000;
  return { drill, group, items: itemIds.length, seconds, problems: outcomes.flat() };
}

/** Runs one drill over the groups, in order (cleanup: in reverse), each group after the one before. */
export async function drillGroups(
  project: ProjectClient,
  drill: Drill,
  groups: readonly (readonly string[])[],
  timeoutMs = 900_000,
): Promise<GroupRun[]> {
  const order = groups.map((_, i) => i);
  if (drill === "test-migrate-cleanup") order.reverse();
  const runs: GroupRun[] = [];
  for (const i of order) runs.push(await runGroup(project, drill, i + 1, groups[i] as readonly string[], timeoutMs));
  return runs;
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

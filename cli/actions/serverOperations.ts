import type { Job } from "../../client/jobWait";
import type { ProjectClient } from "../../client/projectClient";
import { routes } from "../../shared/api/routes";
import type { Invocation } from "../commandKit";
import { followJob } from "../jobFollow";
import { resolveServer } from "../lookups";
import { Session } from "../session";

interface WaitOption {
  wait: boolean;
}

type Start = (project: ProjectClient, itemId: string) => Promise<{ job: Job }>;

/** Resolves the server, starts the operation and follows its job. */
async function operate(invocation: Invocation<WaitOption>, start: Start): Promise<void> {
  const session = new Session(invocation.options);
  const project = await session.project();
  const server = await resolveServer(project, invocation.args[0]);
  const { job } = await start(project, server.id);
  await followJob(session, project, job, { wait: invocation.options.wait });
}

interface TestMigrateOptions extends WaitOption {
  network: string;
  subnet?: string;
  recoveryPoint?: string;
}

export function testMigrate(invocation: Invocation<TestMigrateOptions>): Promise<void> {
  const { network, subnet, recoveryPoint } = invocation.options;
  const body = { network, ...(subnet ? { subnet } : {}), ...(recoveryPoint ? { recoveryPoint } : {}) };
  return operate(invocation, (project, itemId) => project.call(routes.testMigrate, { params: { itemId }, body }));
}

interface MigrateOptions extends WaitOption {
  shutdown: boolean;
  recoveryPoint?: string;
}

export function migrate(invocation: Invocation<MigrateOptions>): Promise<void> {
  const { shutdown, recoveryPoint } = invocation.options;
  const body = { shutdownSource: shutdown, ...(recoveryPoint ? { recoveryPoint } : {}) };
  return operate(invocation, (project, itemId) => project.call(routes.migrate, { params: { itemId }, body }));
}

type PlainRoute =
  | typeof routes.testMigrateCleanup
  | typeof routes.completeMigration
  | typeof routes.resync
  | typeof routes.pauseReplication
  | typeof routes.resumeReplication;

const plain = (route: PlainRoute) => (invocation: Invocation<WaitOption>) =>
  operate(invocation, (project, itemId) => project.call(route, { params: { itemId } }));

export const testMigrateCleanup = plain(routes.testMigrateCleanup);
export const complete = plain(routes.completeMigration);
export const resync = plain(routes.resync);
export const pause = plain(routes.pauseReplication);
export const resume = plain(routes.resumeReplication);

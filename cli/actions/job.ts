import { routes } from "../../shared/api/routes";
import type { Invocation } from "../commandKit";
import { followJob, printJob } from "../jobFollow";
import { resolveServer } from "../lookups";
import { printList } from "../output";
import { Session } from "../session";
import { jobColumns } from "../views/jobViews";

interface ListOptions {
  server?: string;
  state?: "NotStarted" | "InProgress" | "Succeeded" | "Failed" | "Cancelled";
}

export async function list({ options }: Invocation<ListOptions>): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  const itemId = options.server ? (await resolveServer(project, options.server)).id : undefined;
  const jobs = await project.listAll(routes.listJobs, { query: { itemId, state: options.state } });
  await printList(session, jobs, jobColumns, "No jobs.");
}

export async function show({ args, options }: Invocation): Promise<void> {
  const session = new Session(options);
  await printJob(session, await (await session.project()).getJob(args[0]));
}

export async function watch({ args, options }: Invocation): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  await followJob(session, project, await project.getJob(args[0]), { wait: true });
}

/** Asks the job to stop and follows it to its end; ending Cancelled is what was asked, so it exits 0. */
export async function cancel({ args, options }: Invocation<{ wait: boolean }>): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  const { job } = await project.call(routes.cancelJob, { params: { jobId: args[0] } });
  await followJob(session, project, job, { wait: options.wait, exitFor: { Cancelled: 0 } });
}

/** Continues the job past its waiting manual action and follows it again. */
export async function resume({ args, options }: Invocation<{ wait: boolean; comment: string }>): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  const { job } = await project.call(routes.resumeJob, {
    params: { jobId: args[0] },
    body: { comment: options.comment },
  });
  await followJob(session, project, job, { wait: options.wait });
}

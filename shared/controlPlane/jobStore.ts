import { errors } from "../domain/errors";
import { jobProgress, type Job, type JobState } from "../domain/jobs";
import { unwrap, type Result } from "../domain/result";
import { columns } from "../storage/columns";
import { updateRow } from "../storage/optimistic";
import type { JobRow } from "../storage/rows";
import type { ControlPlaneDeps } from "./deps";
import { getProject } from "./projects";

export type JobView = Job & { progress: number };

export function jobView(job: Job): JobView {
  return { ...job, progress: jobProgress(job) };
}

function row(job: Job): JobRow {
  return { itemId: job.itemId, operation: job.operation, state: job.state, body: columns.jobBody.serialize(job) };
}

export async function insertJob(deps: ControlPlaneDeps, projectId: string, job: Job): Promise<void> {
  await deps.stores.jobs.insert(projectId, job.id, row(job));
}

export async function getJob(deps: ControlPlaneDeps, projectId: string, jobId: string): Promise<Job> {
  const found = await deps.stores.jobs.get(projectId, jobId);
  if (!found) throw errors.notFound("Job", jobId);
  return columns.jobBody.parse(found.value.body);
}

export async function listJobs(
  deps: ControlPlaneDeps,
  projectId: string,
  filter: { itemId?: string; state?: JobState } = {},
): Promise<Job[]> {
  await getProject(deps, projectId);
  const out: Job[] = [];
  for await (const found of deps.stores.jobs.partition(projectId)) {
    if (filter.itemId && found.value.itemId !== filter.itemId) continue;
    if (filter.state && found.value.state !== filter.state) continue;
    out.push(columns.jobBody.parse(found.value.body));
  }
  return out.reverse();
}

/** Applies a domain change to a job under its ETag; a refused change throws its error. */
export async function changeJob(
  deps: ControlPlaneDeps,
  projectId: string,
  jobId: string,
  change: (job: Job) => Result<Job>,
): Promise<Job> {
  let result: Job | undefined;
  await updateRow(deps.stores.jobs, projectId, jobId, (current) => {
    const job = columns.jobBody.parse(current.body);
    result = unwrap(change(job));
    return result === job ? undefined : row(result);
  });
  if (!result) throw errors.notFound("Job", jobId);
  return result;
}

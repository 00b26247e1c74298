import { changeJob } from "../controlPlane/jobStore";
import { resumeWaitingTask, type Job } from "../domain/jobs";
import type { PlanDeps } from "./deps";

/** The durable event that wakes a plan's job waiting on a manual action. */
export const actionResumedEvent = "ActionResumed";

/**
 * An operator's resume: the waiting task succeeds with the comment, under the job's ETag (so two
 * resumes continue one action); nothing waiting is 409 OperationNotAllowed. The caller raises the event.
 */
export async function resumeJob(deps: PlanDeps, projectId: string, jobId: string, comment: string): Promise<Job> {
  return changeJob(deps, projectId, jobId, (job) => resumeWaitingTask(job, deps.now(), comment));
}

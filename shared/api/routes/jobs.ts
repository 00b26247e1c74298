import { emptyBodySchema } from "../common";
import { jobListQuery, jobSchema } from "../jobs";
import { resumeJobRequest } from "../recoveryPlans";
import { accepted, defineRoutes, projectPath } from "./route";

const job = `${projectPath}/jobs/{jobId}` as const;

/** The jobs every operation starts. */
export const jobRoutes = defineRoutes({
  listJobs: {
    method: "get",
    path: `${projectPath}/jobs`,
    summary: "List jobs",
    auth: "operator",
    access: "read",
    query: jobListQuery,
    response: { status: 200, description: "The jobs, newest first.", schema: jobSchema, list: true },
  },
  getJob: {
    method: "get",
    path: job,
    summary: "Get a job",
    auth: "operator",
    access: "read",
    response: { status: 200, description: "The job.", schema: jobSchema },
  },
  cancelJob: {
    method: "post",
    path: `${job}/cancel`,
    summary: "Cancel a running test migration or migration",
    auth: "operator",
    access: "operate",
    body: emptyBodySchema,
    response: accepted(
      "Cancellation accepted: the job undoes what it made and ends Cancelled. " +
        "Once its last task has started (or a task failed, or it ended) " +
        "the answer is 409 OperationNotAllowed and nothing changes. A recovery plan's job: cancellable " +
        "during a drill, and during a migration until its first source is shut down.",
    ),
  },
  resumeJob: {
    method: "post",
    path: `${job}/resume`,
    summary: "Resume a job waiting on a manual action",
    auth: "operator",
    access: "operate",
    body: resumeJobRequest,
    response: accepted(
      "The waiting task succeeded with the comment and the job goes on; with nothing waiting, 409 OperationNotAllowed.",
    ),
  },
});

import type { InvocationContext } from "@azure/functions";
import * as df from "durable-functions";
import { routes, routeUrl } from "../../shared/api/routes";
import type { Job } from "../../shared/domain/jobs";
import { failJobRun } from "../../shared/lifecycle/jobRunner";
import { cancellableOperations } from "../../shared/lifecycle/cancellation";
import type { OperationParameters } from "../../shared/lifecycle/taskTypes";
import { services } from "../../shared/services";
import { runJobName, type RunJobInput } from "../orchestrations/runJob";

/** Starts the orchestration that runs a job; its instance id is the job id. */
export async function startJob(
  context: InvocationContext,
  projectId: string,
  itemId: string,
  job: Job,
  parameters: OperationParameters = {},
): Promise<void> {
  const input: RunJobInput = {
    projectId,
    jobId: job.id,
    itemId,
    parameters,
    tasks: job.tasks.filter((t) => t.state !== "Skipped").map((t) => t.name),
    cancellable: cancellableOperations.includes(job.operation),
  };
  try {
    await df.getClient(context).startNew(runJobName, { instanceId: job.id, input });
  } catch (error) {
    // The job never ran: record why and release the item, so nothing stays held by it.
    await failJobRun(services(), {
      projectId,
      jobId: job.id,
      itemId,
      error: { code: "JobStartFailed", message: "The job could not be started; try again." },
    });
    throw error;
  }
}

export function jobLocation(projectId: string, jobId: string): Record<string, string> {
  return { location: routeUrl(routes.getJob, { projectId, jobId }) };
}

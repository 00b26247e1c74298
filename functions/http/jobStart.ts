import type { InvocationContext } from "@azure/functions";
import * as df from "durable-functions";
import type { Job } from "../../shared/domain/jobs";
import { cancellableOperations, type OperationParameters } from "../../shared/lifecycle/operationParameters";
import { runJobName, type RunJobInput } from "../orchestrations/runJob";

/** Starts the orchestration that runs a job; its instance id is the job id. */
export async function startJob(context: InvocationContext, projectId: string, itemId: string, job: Job, parameters: OperationParameters = {}): Promise<void> {
  const input: RunJobInput = {
    projectId, jobId: job.id, itemId, parameters,
    tasks: job.tasks.filter((t) => t.state !== "Skipped").map((t) => t.name),
    cancellable: cancellableOperations.includes(job.operation),
  };
  await df.getClient(context).startNew(runJobName, { instanceId: job.id, input });
}

export function jobLocation(projectId: string, jobId: string): Record<string, string> {
  return { location: `/api/projects/${projectId}/jobs/${jobId}` };
}

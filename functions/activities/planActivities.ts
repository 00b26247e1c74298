import * as df from "durable-functions";
import { isFerryError } from "../../shared/domain/errors";
import type { PlanOperation } from "../../shared/domain/jobTasks";
import type { JobError } from "../../shared/domain/jobs";
import type { WebhookAction } from "../../shared/domain/recoveryPlans";
import {
  beginPlanItem,
  callPlanWebhook,
  cancelPlanJob,
  completePlanTask,
  endPlanItem,
  failPlanJob,
  failStepAndContinue,
  finishPlanJob,
  recheckDowntimeBudget,
  startPlanTask,
  waitForOperator,
  type PlanJobRef,
  type PlanParameters,
} from "../../shared/plans";
import type { OperationParameters } from "../../shared/lifecycle/taskTypes";
import { services } from "../../shared/services";

/** A step's outcome: `value` on success; a domain refusal is the step's error (no retry), anything else is retried. */
export type PlanOutcome<T = undefined> = { ok: true; value: T } | { ok: false; error: JobError };

async function outcome<T>(work: () => Promise<T>): Promise<PlanOutcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (isFerryError(error)) return { ok: false, error: { code: error.code, message: error.message } };
    throw error;
  }
}

type TaskRef = PlanJobRef & { task: string };

/** Each activity by name with its input and result types, so the orchestration's calls are typed. */
export interface PlanActivities {
  planStartTask: [TaskRef, boolean];
  planCompleteTask: [TaskRef & { note?: string }, void];
  planWaitForOperator: [TaskRef & { instructions: string }, void];
  planFailStep: [TaskRef & { error: JobError }, void];
  planBeginItem: [
    TaskRef & { itemId: string; operation: PlanOperation; parameters: PlanParameters },
    { jobId: string; tasks: string[]; parameters: OperationParameters },
  ];
  planEndItem: [TaskRef & { childJobId: string }, JobError | undefined];
  planCallWebhook: [TaskRef & { group: { index: number; name: string }; action: WebhookAction }, JobError | undefined];
  planCheckBudget: [PlanJobRef & { maxDowntimeSeconds: number }, void];
  planFinish: [PlanJobRef, boolean];
  planFail: [PlanJobRef & { task?: string; error: JobError }, void];
  planCancel: [PlanJobRef, void];
}

export type PlanActivityName = keyof PlanActivities;

const handlers: { [K in PlanActivityName]: (input: PlanActivities[K][0]) => Promise<PlanActivities[K][1]> } = {
  planStartTask: (input) => startPlanTask(services(), input),
  planCompleteTask: (input) => completePlanTask(services(), input),
  planWaitForOperator: (input) => waitForOperator(services(), input),
  planFailStep: (input) => failStepAndContinue(services(), input),
  planBeginItem: async (input) => {
    const { job, parameters } = await beginPlanItem(services(), input);
    return { jobId: job.id, tasks: job.tasks.filter((t) => t.state !== "Skipped").map((t) => t.name), parameters };
  },
  planEndItem: (input) => endPlanItem(services(), input),
  planCallWebhook: (input) => callPlanWebhook(services(), input),
  planCheckBudget: (input) => recheckDowntimeBudget(services(), input),
  planFinish: (input) => finishPlanJob(services(), input),
  planFail: (input) => failPlanJob(services(), input),
  planCancel: (input) => cancelPlanJob(services(), input),
};

for (const name of Object.keys(handlers) as PlanActivityName[]) {
  const handler = handlers[name] as (input: unknown) => Promise<unknown>;
  df.app.activity(name, { handler: (input: unknown) => outcome(() => handler(input)) });
}

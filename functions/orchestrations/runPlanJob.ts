import * as df from "durable-functions";
import type { OrchestrationContext, OrchestrationHandler, Task } from "durable-functions";
import type { PlanOperation } from "../../shared/domain/jobTasks";
import type { JobError } from "../../shared/domain/jobs";
import type { PlanGroupSteps, PlanStep } from "../../shared/domain/planJobs";
import { actionResumedEvent, type PlanJobRef, type PlanParameters } from "../../shared/plans";
import type { PlanActivities, PlanActivityName, PlanOutcome } from "../activities/planActivities";
import { cancelEventName, runJobName, type RunJobInput } from "./runJob";

export const runPlanJobName = "runPlanJob";

export interface RunPlanJobInput extends PlanJobRef {
  operation: PlanOperation;
  parameters: PlanParameters;
  /** In the order they run, items the job skips left out. */
  groups: PlanGroupSteps[];
  cancellable: boolean;
}

type Step = { kind: "ok" } | { kind: "failed"; task?: string; error: JobError } | { kind: "cancelled" };
type Gen<T> = Generator<Task, T, unknown>;

const retry = new df.RetryOptions(2000, 4);
const ok: Step = { kind: "ok" };

function activity<K extends PlanActivityName>(context: OrchestrationContext, name: K, input: PlanActivities[K][0]) {
  return context.df.callActivityWithRetry(name, retry, input);
}

function* call<K extends PlanActivityName>(
  context: OrchestrationContext,
  name: K,
  input: PlanActivities[K][0],
): Gen<PlanOutcome<PlanActivities[K][1]>> {
  return (yield activity(context, name, input)) as PlanOutcome<PlanActivities[K][1]>;
}

interface Run {
  context: OrchestrationContext;
  input: RunPlanJobInput;
  ref: PlanJobRef;
  cancel?: Task;
}

/** Starts a task (false: a cancel was recorded first). */
function* start(run: Run, task: string): Gen<Step> {
  const started = yield* call(run.context, "planStartTask", { ...run.ref, task });
  if (!started.ok) return { kind: "failed", task, error: started.error };
  return started.value ? ok : { kind: "cancelled" };
}

/** A manual action waits for the resume event (durable, no polling); a webhook is one call. */
function* runAction(run: Run, group: PlanGroupSteps, step: Extract<PlanStep, { kind: "Action" }>): Gen<Step> {
  const started = yield* start(run, step.task);
  if (started.kind !== "ok") return started;
  const { action, task } = step;
  if (action.kind === "Manual") {
    yield activity(run.context, "planWaitForOperator", { ...run.ref, task, instructions: action.instructions });
    const resumed = run.context.df.waitForExternalEvent(actionResumedEvent);
    const winner = run.cancel ? yield run.context.df.Task.any([resumed, run.cancel]) : yield resumed;
    return winner === run.cancel ? { kind: "cancelled" } : ok;
  }
  const called = yield* call(run.context, "planCallWebhook", {
    ...run.ref,
    task,
    group: { index: group.index, name: group.name },
    action,
  });
  const error = called.ok ? called.value : called.error;
  if (error === undefined) {
    yield activity(run.context, "planCompleteTask", { ...run.ref, task, note: "The webhook answered 2xx." });
    return ok;
  }
  if (!action.continueOnError) return { kind: "failed", task, error };
  yield activity(run.context, "planFailStep", { ...run.ref, task, error });
  return ok;
}

/** The group's items in parallel, each as its own job (the item operation's orchestration, as a child). */
function* runItems(run: Run, items: PlanStep[]): Gen<Step> {
  const { context, ref } = run;
  // A compound task needs at least one task: a group whose items are all skipped has nothing to run.
  if (items.length === 0) return ok;
  for (const item of items) {
    const started = yield* start(run, item.task);
    if (started.kind !== "ok") return started;
  }
  const begins = (yield context.df.Task.all(
    items.map((item) =>
      activity(context, "planBeginItem", {
        ...ref,
        task: item.task,
        itemId: item.kind === "Item" ? item.itemId : "",
        operation: run.input.operation,
        parameters: run.input.parameters,
      }),
    ),
  )) as PlanOutcome<PlanActivities["planBeginItem"][1]>[];
  const begun = items.flatMap((item, at) => {
    const b = begins[at];
    return b?.ok && item.kind === "Item" ? [{ item, child: b.value, itemId: item.itemId }] : [];
  });
  const children = begun.map(({ child, itemId }) => {
    const childInput: RunJobInput = {
      projectId: ref.projectId,
      jobId: child.jobId,
      itemId,
      parameters: child.parameters,
      tasks: child.tasks,
      cancellable: false,
    };
    return context.df.callSubOrchestrator(runJobName, childInput, child.jobId);
  });
  try {
    yield context.df.Task.all(children);
  } catch {
    // Each child's end is read from its job below.
  }
  const ends = (yield context.df.Task.all(
    begun.map(({ item, child }) =>
      activity(context, "planEndItem", { ...ref, task: item.task, childJobId: child.jobId }),
    ),
  )) as PlanOutcome<JobError | undefined>[];
  const refused = begins.findIndex((b) => !b.ok);
  if (refused >= 0) {
    const b = begins[refused];
    return {
      kind: "failed",
      task: items[refused]?.task,
      error: b && !b.ok ? b.error : { code: "ItemJobFailed", message: "" },
    };
  }
  const failed = ends.findIndex((e) => !e.ok || e.value !== undefined);
  if (failed < 0) return ok;
  const end = ends[failed];
  const error = end && (end.ok ? end.value : end.error);
  return { kind: "failed", task: begun[failed]?.item.task, error: error ?? { code: "ItemJobFailed", message: "" } };
}

function* runGroup(run: Run, group: PlanGroupSteps): Gen<Step> {
  const started = yield* start(run, group.task);
  if (started.kind !== "ok") return started;
  for (const step of group.pre) {
    const done = step.kind === "Action" ? yield* runAction(run, group, step) : ok;
    if (done.kind !== "ok") return done;
  }
  const items = yield* runItems(run, group.items);
  if (items.kind !== "ok") return items;
  for (const step of group.post) {
    const done = step.kind === "Action" ? yield* runAction(run, group, step) : ok;
    if (done.kind !== "ok") return done;
  }
  yield activity(run.context, "planCompleteTask", { ...run.ref, task: group.task });
  return ok;
}

/** A scheduled cutover waits NotStarted on a durable timer (cancellable), then checks its budget again. */
function* beforeFirstGroup(run: Run): Gen<Step> {
  const { context, input } = run;
  const startAt = input.parameters.startAt ? new Date(input.parameters.startAt) : undefined;
  if (startAt && startAt > context.df.currentUtcDateTime) {
    const timer = context.df.createTimer(startAt);
    const winner = run.cancel ? yield context.df.Task.any([timer, run.cancel]) : yield timer;
    if (winner !== timer) {
      timer.cancel();
      return { kind: "cancelled" };
    }
  }
  const max = input.parameters.maxDowntimeSeconds;
  if (max === undefined) return ok;
  const checked = yield* call(context, "planCheckBudget", { ...run.ref, maxDowntimeSeconds: max });
  return checked.ok ? ok : { kind: "failed", error: checked.error };
}

/**
 * A recovery plan's job: its groups in order; in each, the pre-actions one after another, the items
 * in parallel, then the post-actions; the next group only once all of them succeeded. A failure
 * ends the job (later groups never start); a cancel undoes what the job made.
 */
export const runPlanJob: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<RunPlanJobInput>();
  const ref: PlanJobRef = { projectId: input.projectId, jobId: input.jobId, planId: input.planId };
  const run: Run = {
    context,
    input,
    ref,
    ...(input.cancellable ? { cancel: context.df.waitForExternalEvent(cancelEventName) } : {}),
  };
  let step = yield* beforeFirstGroup(run);
  for (const group of input.groups) {
    if (step.kind !== "ok") break;
    step = yield* runGroup(run, group);
  }
  if (step.kind === "ok") {
    const finished = yield* call(context, "planFinish", ref);
    if (finished.ok && finished.value) return "Succeeded";
    step = finished.ok ? { kind: "cancelled" } : { kind: "failed", error: finished.error };
  }
  if (step.kind === "cancelled") {
    yield activity(context, "planCancel", ref);
    return "Cancelled";
  }
  yield activity(context, "planFail", { ...ref, task: step.task, error: step.error });
  return "Failed";
};

df.app.orchestration(runPlanJobName, runPlanJob);

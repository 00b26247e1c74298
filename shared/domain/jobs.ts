import { errors } from "./errors";
import { jobDisplayNames, plannedSkips, taskNamesFor, type JobOperation, type JobPlanOptions } from "./jobTasks";
import { fail, ok, type Result } from "./result";

/** A job like Site Recovery's: one per operation, made of named tasks, each with its own state. */
export const jobStates = ["NotStarted", "InProgress", "Succeeded", "Failed", "Cancelled"] as const;
export type JobState = (typeof jobStates)[number];
/**
 * Tasks may also be Skipped (e.g. the shutdown of a migration asked not to shut down), or wait for
 * an operator (a recovery plan's manual action) until the job is resumed.
 */
export const taskStates = [...jobStates, "Skipped", "WaitingForAction"] as const;
export type TaskState = (typeof taskStates)[number];

export interface JobError {
  readonly code: string;
  readonly message: string;
  readonly recommendedAction?: string;
}

export interface JobTask {
  readonly name: string;
  readonly state: TaskState;
  readonly startTime?: string;
  readonly endTime?: string;
  /** 0-100 while the task runs, for tasks that can tell (e.g. copying disks). */
  readonly progress?: number;
  /** Why the task was skipped, or what it had to do differently. */
  readonly note?: string;
  readonly errors: readonly JobError[];
  /** A recovery plan's task: a group, one of its items (run as its own job, `jobId`), or an action. */
  readonly kind?: PlanTaskKind;
  readonly itemId?: string;
  /** The item's own job that a plan's item task runs. */
  readonly jobId?: string;
  /** A manual action's instructions to the operator, shown while it waits. */
  readonly instructions?: string;
  /** What the operator said when resuming a manual action. */
  readonly comment?: string;
}

export type PlanTaskKind = "Group" | "Item" | "Action";

export interface Job {
  readonly id: string;
  readonly operation: JobOperation;
  readonly displayName: string;
  readonly itemId?: string;
  readonly state: JobState;
  readonly createTime: string;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly tasks: readonly JobTask[];
  readonly errors: readonly JobError[];
  /** Things the operator must know even when the job succeeds (e.g. "failed over without shutdown"). */
  readonly warnings: readonly string[];
  /** What the job produced, e.g. each disk's SHA-256 for VerifyRecoveryPoint. */
  readonly result?: Readonly<Record<string, unknown>>;
  /** What the job acts on besides its item, e.g. the recovery point a verification reads. */
  readonly parameters?: Readonly<Record<string, string>>;
  /**
   * When an operator's cancel was accepted (jobCancellation.ts): no task starts after it,
   * and the job ends Cancelled.
   */
  readonly cancelRequestedTime?: string;
}

export interface NewJob {
  readonly id: string;
  readonly operation: JobOperation;
  readonly itemId?: string;
  readonly now: Date;
  readonly options?: JobPlanOptions;
  readonly parameters?: Readonly<Record<string, string>>;
}

export function createJob({ id, operation, itemId, now, options = {}, parameters }: NewJob): Job {
  const skips = plannedSkips(operation, options);
  const tasks = taskNamesFor(operation).map((name): JobTask => {
    const note = skips.get(name);
    return note === undefined
      ? { name, state: "NotStarted", errors: [] }
      : { name, state: "Skipped", note, errors: [] };
  });
  return {
    id,
    operation,
    displayName: jobDisplayNames[operation],
    ...(itemId === undefined ? {} : { itemId }),
    state: "NotStarted",
    createTime: now.toISOString(),
    tasks,
    errors: [],
    warnings: [...new Set(skips.values())],
    ...(parameters === undefined ? {} : { parameters }),
  };
}

const finishedJobStates: readonly JobState[] = ["Succeeded", "Failed", "Cancelled"];
const finishedTaskStates: readonly TaskState[] = ["Succeeded", "Failed", "Cancelled", "Skipped"];

export function isJobFinished(job: Pick<Job, "state">): boolean {
  return finishedJobStates.includes(job.state);
}

/** 0-100: finished tasks count whole, a running task by its own progress; 100 only once the job succeeded. */
export function jobProgress(job: Job): number {
  if (job.state === "Succeeded") return 100;
  if (job.tasks.length === 0) return 0;
  const done = job.tasks.reduce((sum, task) => {
    if (finishedTaskStates.includes(task.state)) return sum + 1;
    return task.state === "InProgress" ? sum + (task.progress ?? 0) / 100 : sum;
  }, 0);
  return Math.min(99, Math.floor((done / job.tasks.length) * 100));
}

export function startJob(job: Job, now: Date): Result<Job> {
  if (job.state === "InProgress") return ok(job);
  if (job.state !== "NotStarted") return fail(jobFinished(job));
  return ok({ ...job, state: "InProgress", startTime: now.toISOString() });
}

function jobFinished(job: Job) {
  return errors.conflict(`Job ${job.id} has already finished (${job.state}).`, "job");
}

/** Applies `change` to one task, starting the job if needed; `done` says the change is already in place. */
function updateTask(
  job: Job,
  name: string,
  now: Date,
  done: (task: JobTask) => boolean,
  change: (task: JobTask) => JobTask,
): Result<Job> {
  const task = job.tasks.find((candidate) => candidate.name === name);
  if (task === undefined)
    return fail(errors.invalidInput(`Job ${job.id} (${job.displayName}) has no task '${name}'.`, "task"));
  if (done(task)) return ok(job);
  const started = startJob(job, now);
  if (!started.ok) return started;
  return ok({
    ...started.value,
    tasks: job.tasks.map((candidate) => (candidate === task ? change(candidate) : candidate)),
  });
}

export function startTask(job: Job, name: string, now: Date): Result<Job> {
  return updateTask(
    job,
    name,
    now,
    (task) => task.state !== "NotStarted",
    (task) => ({ ...task, state: "InProgress", startTime: now.toISOString() }),
  );
}

export function setTaskProgress(job: Job, name: string, progress: number, now: Date): Result<Job> {
  const percent = Math.max(0, Math.min(100, Math.floor(progress)));
  return updateTask(
    job,
    name,
    now,
    (task) => task.state !== "InProgress" || task.progress === percent,
    (task) => ({ ...task, progress: percent }),
  );
}

export function completeTask(job: Job, name: string, now: Date, note?: string): Result<Job> {
  return updateTask(
    job,
    name,
    now,
    (task) => finishedTaskStates.includes(task.state),
    (task) => ({
      ...task,
      state: "Succeeded",
      startTime: task.startTime ?? now.toISOString(),
      endTime: now.toISOString(),
      progress: 100,
      ...(note === undefined ? {} : { note }),
    }),
  );
}

export function skipTask(job: Job, name: string, now: Date, reason: string): Result<Job> {
  return updateTask(
    job,
    name,
    now,
    (task) => finishedTaskStates.includes(task.state),
    (task) => ({
      ...task,
      state: "Skipped",
      endTime: now.toISOString(),
      note: reason,
    }),
  );
}

/** Marks one task Failed while its job is still ending (its failure cleanup runs first); see failTask. */
export function markTaskFailed(job: Job, name: string, now: Date, error: JobError): Result<Job> {
  return updateTask(
    job,
    name,
    now,
    (task) => task.state === "Failed",
    (task) => ({
      ...task,
      state: "Failed",
      startTime: task.startTime ?? now.toISOString(),
      endTime: now.toISOString(),
      errors: [...task.errors, error],
    }),
  );
}

/** A failed task fails its job; the tasks after it never start. */
export function failTask(job: Job, name: string, now: Date, error: JobError): Result<Job> {
  const failed = markTaskFailed(job, name, now, error);
  if (!failed.ok || failed.value.state === "Failed") return failed;
  if (isJobFinished(failed.value)) return fail(jobFinished(job));
  return ok({ ...failed.value, state: "Failed", endTime: now.toISOString(), errors: [...job.errors, error] });
}

/** A job succeeds only when every task succeeded or was skipped. */
export function succeedJob(job: Job, now: Date): Result<Job> {
  if (job.state === "Succeeded") return ok(job);
  if (isJobFinished(job)) return fail(jobFinished(job));
  const open = job.tasks.find((task) => task.state !== "Succeeded" && task.state !== "Skipped");
  if (open !== undefined)
    return fail(errors.conflict(`Job ${job.id} cannot succeed: task '${open.name}' is ${open.state}.`, "job"));
  return ok({ ...job, state: "Succeeded", startTime: job.startTime ?? now.toISOString(), endTime: now.toISOString() });
}

/** Fails a job for a reason outside any task (e.g. the orchestration gave up). */
export function failJob(job: Job, now: Date, error: JobError): Result<Job> {
  if (job.state === "Failed") return ok(job);
  if (isJobFinished(job)) return fail(jobFinished(job));
  const tasks = job.tasks.map((task): JobTask =>
    task.state === "InProgress" || task.state === "WaitingForAction"
      ? { ...task, state: "Failed", endTime: now.toISOString() }
      : task,
  );
  return ok({ ...job, state: "Failed", endTime: now.toISOString(), tasks, errors: [...job.errors, error] });
}

/** Cancels a job: the running (or waiting) task is marked Cancelled, the rest never start. */
export function cancelJob(job: Job, now: Date): Result<Job> {
  if (job.state === "Cancelled") return ok(job);
  if (isJobFinished(job)) return fail(jobFinished(job));
  const tasks = job.tasks.map((task): JobTask =>
    task.state === "InProgress" || task.state === "WaitingForAction"
      ? { ...task, state: "Cancelled", endTime: now.toISOString() }
      : task,
  );
  return ok({ ...job, state: "Cancelled", endTime: now.toISOString(), tasks });
}

export function addJobWarning(job: Job, warning: string): Job {
  return job.warnings.includes(warning) ? job : { ...job, warnings: [...job.warnings, warning] };
}

export function setJobResult(job: Job, result: Readonly<Record<string, unknown>>): Job {
  return { ...job, result };
}

/** A running manual action now waits for an operator, its instructions on the task. */
export function waitForAction(job: Job, name: string, now: Date, instructions: string): Result<Job> {
  return updateTask(
    job,
    name,
    now,
    (task) => task.state === "WaitingForAction" || finishedTaskStates.includes(task.state),
    (task) => ({ ...task, state: "WaitingForAction", instructions }),
  );
}

/** The task that waits for an operator, if one does. */
export function waitingTask(job: Job): JobTask | undefined {
  return job.tasks.find((task) => task.state === "WaitingForAction");
}

/** An operator resumes the job: the waiting task succeeds with their comment; nothing waiting is refused. */
export function resumeWaitingTask(job: Job, now: Date, comment: string): Result<Job> {
  const task = waitingTask(job);
  if (task === undefined || isJobFinished(job) || job.cancelRequestedTime !== undefined)
    return fail(errors.operationNotAllowed("Resume", `no task of job ${job.id} is waiting for an action`));
  return completeTask(
    { ...job, tasks: job.tasks.map((t) => (t === task ? { ...t, state: "InProgress", comment } : t)) },
    task.name,
    now,
    task.note,
  );
}

/** Replaces one task's fields that are not its state (a plan's item task naming its item's job). */
export function annotateTask(job: Job, name: string, fields: Pick<JobTask, "jobId" | "note">): Job {
  return { ...job, tasks: job.tasks.map((task) => (task.name === name ? { ...task, ...fields } : task)) };
}

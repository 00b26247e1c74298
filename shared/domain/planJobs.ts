import { errors } from "./errors";
import { refusalReason, type ItemOperation, type ItemState } from "./itemState";
import { jobDisplayNames, type PlanOperation } from "./jobTasks";
import type { Job, JobTask } from "./jobs";
import type { PlanAction, RecoveryPlan } from "./recoveryPlans";
import { fail, ok, type Result } from "./result";

/** The item operation a plan operation runs on each item. */
export const planItemOperation: Readonly<Record<PlanOperation, ItemOperation>> = {
  RecoveryPlanTestMigrate: "TestMigrate",
  RecoveryPlanTestMigrateCleanup: "TestMigrateCleanup",
  RecoveryPlanMigrate: "Migrate",
  RecoveryPlanComplete: "DisableMigration",
};

/** A drill and a migration run the plan's actions; a cleanup or completion only undoes or ends replication. */
export function runsActions(operation: PlanOperation): boolean {
  return operation === "RecoveryPlanTestMigrate" || operation === "RecoveryPlanMigrate";
}

/** Cleanup undoes the drill from the last group back to the first. */
export function groupOrder(operation: PlanOperation, groupCount: number): number[] {
  const order = Array.from({ length: groupCount }, (_, index) => index);
  return operation === "RecoveryPlanTestMigrateCleanup" ? order.reverse() : order;
}

/** One step of a group, as the plan's orchestration runs it; `task` is its task's name in the job. */
export type PlanStep =
  | { kind: "Item"; task: string; itemId: string }
  | { kind: "Action"; task: string; action: PlanAction; phase: "pre" | "post" };

export interface PlanGroupSteps {
  index: number;
  name: string;
  task: string;
  pre: PlanStep[];
  items: PlanStep[];
  post: PlanStep[];
}

/** The groups in the order the job runs them, each with its task names. */
export function planSteps(
  plan: Pick<RecoveryPlan, "groups">,
  operation: PlanOperation,
  itemNames: ReadonlyMap<string, string>,
): PlanGroupSteps[] {
  return groupOrder(operation, plan.groups.length).map((index) => {
    const group = plan.groups[index]!;
    const label = `Group ${index + 1} (${group.name})`;
    const actions = (list: readonly PlanAction[], phase: "pre" | "post"): PlanStep[] =>
      runsActions(operation)
        ? list.map((action) => ({
            kind: "Action",
            task: `${label}: ${phase === "pre" ? "before" : "after"}: ${action.name}`,
            action,
            phase,
          }))
        : [];
    const names = group.items.map((itemId) => itemNames.get(itemId) ?? itemId);
    const items = group.items.map((itemId, at): PlanStep => {
      const name = names[at]!;
      const unique = names.indexOf(name) === names.lastIndexOf(name);
      return { kind: "Item", task: `${label}: ${unique ? name : `${name} (${itemId})`}`, itemId };
    });
    return {
      index,
      name: group.name,
      task: label,
      pre: actions(group.preActions, "pre"),
      items,
      post: actions(group.postActions, "post"),
    };
  });
}

export interface NewPlanJob {
  readonly id: string;
  readonly plan: RecoveryPlan;
  readonly operation: PlanOperation;
  readonly itemNames: ReadonlyMap<string, string>;
  /** Items the job leaves alone, with the reason shown on their task. */
  readonly skips?: ReadonlyMap<string, string>;
  readonly now: Date;
}

/** The plan's job: a task per group, then its actions and items in the order they run. */
export function createPlanJob({ id, plan, operation, itemNames, skips = new Map(), now }: NewPlanJob): Job {
  const task = (name: string, fields: Partial<JobTask>): JobTask => ({
    name,
    state: "NotStarted",
    errors: [],
    ...fields,
  });
  const itemTask = (name: string, itemId: string): JobTask => {
    const skipped = skips.get(itemId);
    return task(name, { kind: "Item", itemId, ...(skipped === undefined ? {} : { state: "Skipped", note: skipped }) });
  };
  const tasks = planSteps(plan, operation, itemNames).flatMap((group) => [
    task(group.task, { kind: "Group" }),
    ...[...group.pre, ...group.items, ...group.post].map((step) =>
      step.kind === "Item" ? itemTask(step.task, step.itemId) : task(step.task, { kind: "Action" }),
    ),
  ]);
  return {
    id,
    operation,
    displayName: `${jobDisplayNames[operation]}: ${plan.name}`,
    state: "NotStarted",
    createTime: now.toISOString(),
    tasks,
    errors: [],
    warnings: [],
    parameters: { planId: plan.id },
  };
}

/** An item that keeps a plan operation from starting, and why. */
export interface BlockingItem {
  readonly itemId: string;
  readonly name: string;
  readonly reason: string;
  /** The job that holds the item, when that is why. */
  readonly jobId?: string;
}

export interface PlanItemState {
  readonly itemId: string;
  readonly name: string;
  /** Undefined: the item no longer exists. */
  readonly state?: ItemState;
  readonly heldBy?: string;
}

/** Every item the operation cannot start on now; empty when all can. */
export function blockingItems(items: readonly PlanItemState[], operation: PlanOperation): BlockingItem[] {
  const itemOperation = planItemOperation[operation];
  return items.flatMap((item): BlockingItem[] => {
    const base = { itemId: item.itemId, name: item.name };
    if (item.state === undefined) return [{ ...base, reason: "the replicating server no longer exists" }];
    if (item.heldBy !== undefined)
      return [{ ...base, reason: `job ${item.heldBy} is in progress on it`, jobId: item.heldBy }];
    // A cleanup passes over items never drilled (a later group of a drill that failed).
    if (operation === "RecoveryPlanTestMigrateCleanup" && item.state.testMigrateState === "None") return [];
    const reason = refusalReason(item.state, itemOperation);
    return reason === undefined ? [] : [{ ...base, reason }];
  });
}

/** The answer for blocking items: 409 OperationNotAllowed naming them. */
export function checkNoneBlocking(items: readonly PlanItemState[], operation: PlanOperation): Result<void> {
  const blocking = blockingItems(items, operation);
  return blocking.length === 0 ? ok(undefined) : fail(errors.planItemsBlocked(operation, blocking));
}

/**
 * A plan migration's point of no return is the first source shut down: the start of its first
 * item task (each shuts its source down first). Before that a cancel undoes what the job made.
 */
export function planCancelRefusal(job: Job): string | undefined {
  if (job.operation !== "RecoveryPlanMigrate") return undefined;
  const started = job.tasks.find((task) => task.kind === "Item" && task.state !== "NotStarted");
  return started === undefined ? undefined : `'${started.name}' has begun, so a source may have been shut down`;
}

/** A plan's job succeeds with every task done; an action that failed with `continueOnError` does not stop it. */
export function succeedPlanJob(job: Job, now: Date): Result<Job> {
  if (job.state === "Succeeded") return ok(job);
  const open = job.tasks.find(
    (task) =>
      task.state !== "Succeeded" && task.state !== "Skipped" && !(task.kind === "Action" && task.state === "Failed"),
  );
  if (open !== undefined)
    return fail(errors.conflict(`Job ${job.id} cannot succeed: task '${open.name}' is ${open.state}.`, "job"));
  if (job.state !== "InProgress" && job.state !== "NotStarted")
    return fail(errors.conflict(`Job ${job.id} has already finished (${job.state}).`, "job"));
  return ok({ ...job, state: "Succeeded", startTime: job.startTime ?? now.toISOString(), endTime: now.toISOString() });
}

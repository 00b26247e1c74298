import type { Job, RecoveryPlan } from "../../client";

export const itemCount = (plan: RecoveryPlan) => plan.groups.reduce((sum, group) => sum + group.items.length, 0);

/** A plan's newest job: jobs come newest first, and a plan's job names the plan in its parameters. */
export const lastJob = (plan: RecoveryPlan, jobs: Job[]) => jobs.find((job) => job.parameters?.planId === plan.id);

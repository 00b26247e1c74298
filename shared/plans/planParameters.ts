import type { OperationParameters } from "../lifecycle/taskTypes";

/** What an operator asked of a plan operation: the items' own parameters, plus the plan's schedule and budget. */
export interface PlanParameters extends OperationParameters {
  /** ISO 8601: the cutover waits (job NotStarted) until then. */
  startAt?: string;
  maxDowntimeSeconds?: number;
}

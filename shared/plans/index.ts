// The recovery plans room's one entry.
export type { PlanDeps } from "./deps";
export type { PlanParameters } from "./planParameters";
export { beginPlanOperation, recheckDowntimeBudget } from "./beginPlanOperation";
export { cancelPlanJob, failPlanJob, finishPlanJob } from "./planEnd";
export {
  beginPlanItem,
  completePlanTask,
  endPlanItem,
  failStepAndContinue,
  startPlanTask,
  waitForOperator,
  type PlanJobRef,
} from "./planRun";
export { createPlan, deletePlan, getPlan, listPlans, updatePlan, type StoredPlan } from "./planStore";
export { planView } from "./planView";
export { actionResumedEvent, resumeJob } from "./resumeJob";
export { callPlanWebhook, signatureHeader, signBody } from "./webhookCall";

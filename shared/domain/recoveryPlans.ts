import { errors } from "./errors";
import { fail, ok, type Result } from "./result";

/**
 * A recovery plan, as Site Recovery has them: an application's servers in ordered groups, each
 * group's items failed over together, with manual steps and webhooks before and after a group.
 */
export const planActionKinds = ["Manual", "Webhook"] as const;
export type PlanActionKind = (typeof planActionKinds)[number];

interface ActionCommon {
  readonly name: string;
  /** A failure of this action is recorded and the plan goes on. */
  readonly continueOnError?: boolean;
}

export interface ManualAction extends ActionCommon {
  readonly kind: "Manual";
  readonly instructions: string;
}

export interface WebhookAction extends ActionCommon {
  readonly kind: "Webhook";
  readonly url: string;
  /** How long the receiver has to answer; 60 s unless set. */
  readonly timeoutSeconds?: number;
}

export type PlanAction = ManualAction | WebhookAction;

export const defaultWebhookTimeoutSeconds = 60;
export const maxPlanItems = 100;

export interface PlanGroup {
  readonly name: string;
  readonly items: readonly string[];
  readonly preActions: readonly PlanAction[];
  readonly postActions: readonly PlanAction[];
}

export interface RecoveryPlan {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly groups: readonly PlanGroup[];
  readonly createTime: string;
  readonly updateTime: string;
}

/** A group as a request may give it: its name and actions are optional. */
export interface PlanGroupInput {
  readonly name?: string;
  readonly items: readonly string[];
  readonly preActions?: readonly PlanAction[];
  readonly postActions?: readonly PlanAction[];
}

/** Fills in what a request may leave out: a group without a name is "Group <n>". */
export function normalizeGroups(groups: readonly PlanGroupInput[]): PlanGroup[] {
  return groups.map((group, index) => ({
    name: group.name ?? `Group ${index + 1}`,
    items: [...group.items],
    preActions: [...(group.preActions ?? [])],
    postActions: [...(group.postActions ?? [])],
  }));
}

/** What the schema cannot see: an item in one group only, group names and a group's action names unique. */
export function checkGroups(groups: readonly PlanGroup[]): Result<readonly PlanGroup[]> {
  // One table transaction claims every item of a plan, and a transaction holds at most 100 rows.
  if (planItems({ groups }).length > maxPlanItems)
    return fail(errors.invalidInput(`A plan holds at most ${maxPlanItems} items.`, "groups"));
  const seenItems = new Map<string, number>();
  const groupNames = new Set<string>();
  for (const [index, group] of groups.entries()) {
    if (groupNames.has(group.name))
      return fail(errors.invalidInput(`Two groups are named '${group.name}'.`, `groups[${index}].name`));
    groupNames.add(group.name);
    for (const [at, item] of group.items.entries()) {
      const earlier = seenItems.get(item);
      if (earlier !== undefined)
        return fail(
          errors.invalidInput(`Item ${item} is already in group ${earlier + 1}.`, `groups[${index}].items[${at}]`),
        );
      seenItems.set(item, index);
    }
    const actions = [...group.preActions, ...group.postActions].map((action) => action.name);
    const twice = actions.find((name, at) => actions.indexOf(name) !== at);
    if (twice !== undefined)
      return fail(errors.invalidInput(`Group '${group.name}' has two actions named '${twice}'.`, `groups[${index}]`));
  }
  return ok(groups);
}

/** Every item of the plan, in group order. */
export function planItems(plan: Pick<RecoveryPlan, "groups">): string[] {
  return plan.groups.flatMap((group) => group.items);
}

export function webhookActions(groups: readonly PlanGroup[]): WebhookAction[] {
  return groups
    .flatMap((group) => [...group.preActions, ...group.postActions])
    .filter((action): action is WebhookAction => action.kind === "Webhook");
}

import type { CreateRecoveryPlanRequest } from "../../../shared/api/recoveryPlans";

/** One group of the create form: its servers, and the actions that run after them. */
export interface GroupDraft {
  /** Keeps a group's fields apart when an earlier group is removed. */
  key: number;
  name: string;
  itemIds: string[];
  /** Empty: no manual action. */
  instructions: string;
  /** Empty: no webhook. */
  webhookUrl: string;
}

export interface PlanDraft {
  name: string;
  description: string;
  groups: GroupDraft[];
}

/** The names the form gives the actions it adds; a task reads `Group 1 (db): after: Manual check`. */
export const manualActionName = "Manual check";
export const webhookActionName = "Webhook";

let nextKey = 0;

export const emptyGroup = (): GroupDraft => ({
  key: nextKey++,
  name: "",
  itemIds: [],
  instructions: "",
  webhookUrl: "",
});

export const emptyDraft = (): PlanDraft => ({ name: "", description: "", groups: [emptyGroup()] });

type PlanAction = NonNullable<CreateRecoveryPlanRequest["groups"][number]["postActions"]>[number];

function postActions(group: GroupDraft): PlanAction[] {
  const actions: PlanAction[] = [];
  if (group.instructions.trim() !== "")
    actions.push({ name: manualActionName, kind: "Manual", instructions: group.instructions.trim() });
  if (group.webhookUrl.trim() !== "")
    actions.push({ name: webhookActionName, kind: "Webhook", url: group.webhookUrl.trim() });
  return actions;
}

/** The request the form makes: empty fields left out, so the API's defaults (`Group <n>`) apply. */
export function planRequest(draft: PlanDraft): CreateRecoveryPlanRequest {
  return {
    name: draft.name.trim(),
    ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
    groups: draft.groups.map((group) => {
      const actions = postActions(group);
      return {
        ...(group.name.trim() ? { name: group.name.trim() } : {}),
        items: group.itemIds,
        ...(actions.length ? { postActions: actions } : {}),
      };
    }),
  };
}

/** Where the API's field names point in the form: `groups[1].postActions[0].url` → the second group's webhook. */
export function actionField(group: GroupDraft, field: "instructions" | "url"): string {
  const manual = group.instructions.trim() !== "";
  return field === "instructions" ? "postActions[0].instructions" : `postActions[${manual ? 1 : 0}].url`;
}

/** The servers a group may still take: an item is in one group of a plan. */
export function takenElsewhere(draft: PlanDraft, key: number): Set<string> {
  return new Set(draft.groups.filter((g) => g.key !== key).flatMap((g) => g.itemIds));
}

import { describe, expect, it } from "vitest";
import {
  actionField,
  emptyGroup,
  planRequest,
  takenElsewhere,
  type PlanDraft,
} from "../../portal/app/blades/planDraft";
import { createRecoveryPlanRequest } from "../../shared/api/recoveryPlans";

const [db01, web01, web02] = [
  "itm_01m8tb8fps758ckwxxpwz16fs0",
  "itm_01m8tb8fps758ckwxxpwz16fs1",
  "itm_01m8tb8fps758ckwxxpwz16fs2",
];

const draft = (): PlanDraft => ({
  name: " shop ",
  description: "",
  groups: [
    { ...emptyGroup(), name: "db", itemIds: [db01], instructions: "Check the database." },
    { ...emptyGroup(), itemIds: [web01, web02], webhookUrl: "https://hooks.example.com/ferry" },
  ],
});

describe("the portal's recovery plan form", () => {
  it("sends the groups in order with their actions after them, leaving empty fields to the API's defaults", () => {
    const request = planRequest(draft());
    expect(request).toEqual({
      name: "shop",
      groups: [
        {
          name: "db",
          items: [db01],
          postActions: [{ name: "Manual check", kind: "Manual", instructions: "Check the database." }],
        },
        {
          items: [web01, web02],
          postActions: [{ name: "Webhook", kind: "Webhook", url: "https://hooks.example.com/ferry" }],
        },
      ],
    });
    expect(createRecoveryPlanRequest.safeParse(request).success).toBe(true);
  });

  it("points the API's field names at the group's own fields, the webhook after a manual action", () => {
    const [db, web] = draft().groups;
    expect(actionField(db!, "instructions")).toBe("postActions[0].instructions");
    expect(actionField({ ...db!, webhookUrl: "https://x.example" }, "url")).toBe("postActions[1].url");
    expect(actionField(web!, "url")).toBe("postActions[0].url");
  });

  it("offers a group only the servers no other group took", () => {
    const plan = draft();
    expect([...takenElsewhere(plan, plan.groups[0]!.key)]).toEqual([web01, web02]);
    expect([...takenElsewhere(plan, plan.groups[1]!.key)]).toEqual([db01]);
  });
});

// The Azure provider's enable-time check of a placement: it asks Resource Manager what Ferry's
// identity may do in the group (Permissions - List For Resource Group), then reads the subnet and
// availability set; a placement failover could not use is refused with a stable code.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { FerryError } from "../../shared/domain/errors";
import { targetGroupActions } from "../../shared/target/azureTargetActions";
import { seedTargetGroup, startArmTarget, subscriptionId, type ArmTarget } from "../support/armTargetKit";

let t: ArmTarget;
const group = (name: string) => `/subscriptions/${subscriptionId}/resourceGroups/${name}`;
const placement = (resourceGroup: string) => ({ resourceGroup, network: "vnet-prod", subnet: "apps" });

beforeAll(async () => {
  t = await startArmTarget(inject("storageConnectionString"));
  for (const name of ["rg-granted", "rg-none", "rg-nodelete", "rg-contributor", "rg-hidden"])
    seedTargetGroup(t.arm, group(name));
  t.arm.grant("rg-granted", { actions: [...targetGroupActions] });
  t.arm.grant("rg-nodelete", { actions: ["*"], notActions: ["Microsoft.Compute/*/delete"] });
  t.arm.grant("rg-contributor", { actions: ["*"], notActions: ["Microsoft.Authorization/*/Write"] });
});
afterAll(async () => {
  await t?.arm.stop();
});

async function refusal(check: Promise<void>): Promise<FerryError> {
  const error = await check.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (error === undefined) throw new Error("The check passed.");
  return error as FerryError;
}

describe("checking a target placement with Resource Manager", () => {
  it("accepts a group where the identity holds exactly the actions failover needs, or a role that covers them", async () => {
    await t.provider.checkTarget(placement("rg-granted"));
    await t.provider.checkTarget({ ...placement("rg-contributor"), availabilitySet: "avset-sql" });
    const asked = t.arm.requests.filter((r) => r.path.endsWith("/providers/Microsoft.Authorization/permissions"));
    expect(asked.map((r) => [r.path, r.apiVersion])).toEqual([
      [`${group("rg-granted")}/providers/Microsoft.Authorization/permissions`, "2022-04-01"],
      [`${group("rg-contributor")}/providers/Microsoft.Authorization/permissions`, "2022-04-01"],
    ]);
  });

  it("refuses a group the identity holds no role on, naming every action it lacks", async () => {
    const error = await refusal(t.provider.checkTarget(placement("rg-none")));
    expect(error).toMatchObject({ code: "TargetPermissionMissing", httpStatus: 400, target: "target.resourceGroup" });
    expect(error.details).toEqual({ resourceGroup: "rg-none", missingActions: [...targetGroupActions] });
  });

  it("counts what a role's notActions take away", async () => {
    const error = await refusal(t.provider.checkTarget(placement("rg-nodelete")));
    expect(error.details?.missingActions).toEqual([
      "Microsoft.Compute/disks/delete",
      "Microsoft.Compute/virtualMachines/delete",
    ]);
  });

  it("takes a 403 on the permissions call itself as holding nothing there", async () => {
    t.arm.failNext("GET", /rg-hidden\/providers\/Microsoft\.Authorization\/permissions$/, 403);
    expect(await refusal(t.provider.checkTarget(placement("rg-hidden")))).toMatchObject({
      code: "TargetPermissionMissing",
    });
  });

  it("honours Retry-After when the permissions call is throttled", async () => {
    t.arm.throttleNext("GET", /rg-granted\/providers\/Microsoft\.Authorization\/permissions$/, 1);
    const started = Date.now();
    await t.provider.checkTarget(placement("rg-granted"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
  });

  it("refuses a subnet or an availability set that does not exist in the group", async () => {
    expect(await refusal(t.provider.checkTarget({ ...placement("rg-granted"), subnet: "nope" }))).toMatchObject({
      code: "TargetResourceNotFound",
      target: "target.subnet",
      details: { kind: "Subnet", name: "vnet-prod/nope" },
    });
    const noSet = { ...placement("rg-granted"), availabilitySet: "avset-gone" };
    expect(await refusal(t.provider.checkTarget(noSet))).toMatchObject({
      code: "TargetResourceNotFound",
      target: "target.availabilitySet",
    });
  });
});

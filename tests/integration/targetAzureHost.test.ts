// Ferry configured for the Azure target as the template configures it, in its own host: its
// managed identity (from the platform's identity endpoint) calls the stand-in Resource Manager.
// Enabling replication into a group the identity may not use is refused there and then; a test
// migration's VM is made in the target group and its cleanup leaves nothing behind.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { targetGroupActions } from "../../shared/target/azureTargetActions";
import { tempDir } from "../support/agentCli";
import { storageAccountId, subscriptionId } from "../support/armTargetKit";
import { listGroupResources, startFakeArm, type FakeArm } from "../support/fakeArm";
import { startFakeManagedIdentity, type FakeManagedIdentity } from "../support/fakeManagedIdentity";
import { setUpMachine, startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";
import { SourceMachine } from "../support/lifecycleKit";

const group = `/subscriptions/${subscriptionId}/resourceGroups/rg-migrated`;
let arm: FakeArm;
let identity: FakeManagedIdentity;
let ferry: RunningFerry;

beforeAll(async () => {
  arm = await startFakeArm({ asyncPuts: /\/virtualMachines\//i });
  identity = await startFakeManagedIdentity();
  for (const [vnet, subnet] of [
    ["vnet-target", "default"],
    ["vnet-drill", "drill"],
  ])
    arm.seed(`${group}/providers/Microsoft.Network/virtualNetworks/${vnet}`, {
      location: "westeurope",
      properties: { subnets: [{ name: subnet, properties: { addressPrefix: "10.2.0.0/24" } }] },
    });
  arm.grant("rg-migrated", { actions: [...targetGroupActions] });
  const ca = path.join(tempDir(), "arm-ca.pem");
  fs.writeFileSync(ca, arm.caPem);
  ferry = await startFerry(inject("storageConnectionString"), {
    env: {
      FERRY_TARGET_PROVIDER: "azure",
      FERRY_TARGET_SUBSCRIPTION_ID: subscriptionId,
      FERRY_TARGET_STORAGE_ACCOUNT_ID: storageAccountId,
      FERRY_TARGET_ARM_ENDPOINT: arm.endpoint,
      FERRY_TARGET_DEFAULT_NETWORK: "vnet-target",
      NODE_EXTRA_CA_CERTS: ca,
      ...identity.env,
    },
  });
});
afterAll(async () => {
  await ferry?.stop();
  await identity?.stop();
  await arm?.stop();
});

describe("Ferry with the Azure target", () => {
  it("refuses replication into a group its identity holds no role on, changing nothing, and takes a granted one", async () => {
    const m = await setUpMachine(ferry.api, "web-denied");
    const replications = `/projects/${m.projectId}/replications`;
    const elsewhere = { resourceGroup: "rg-elsewhere", network: "vnet-target", subnet: "default" };
    const refused = await ferry.api.post<ApiError>(replications, {
      machineId: m.machineId,
      policyId: m.policyId,
      target: elsewhere,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: "TargetPermissionMissing",
      target: "target.resourceGroup",
      resourceGroup: "rg-elsewhere",
      missingActions: [...targetGroupActions],
    });
    expect((await ferry.api.get<{ value: [] }>(`/projects/${m.projectId}/replicating-servers`)).body.value).toEqual([]);
    expect((await ferry.api.get<{ value: [] }>(`/projects/${m.projectId}/jobs`)).body.value).toEqual([]);
    const permissionCall = arm.requests.find((r) =>
      r.path.endsWith("rg-elsewhere/providers/Microsoft.Authorization/permissions"),
    );
    expect(permissionCall?.authorization).toBe(`Bearer ${identity.tokenFor(arm.endpoint)}`);

    // Same machine, a granted group and no network named: the deployment's default network is used.
    const accepted = await ferry.api.post<{ item: { id: string; target: { network: string; subnet: string } } }>(
      replications,
      {
        machineId: m.machineId,
        policyId: m.policyId,
        target: { resourceGroup: "rg-migrated" },
      },
    );
    expect(accepted.status, accepted.text).toBe(202);
    expect(accepted.body.item.target).toMatchObject({ network: "vnet-target", subnet: "default" });

    // Moving the item to a group the identity may not use is refused the same way, until replication starts.
    const item = `/projects/${m.projectId}/replicating-servers/${accepted.body.item.id}`;
    const moved = await ferry.api.patch<ApiError>(item, { target: { resourceGroup: "rg-elsewhere" } });
    expect([moved.status, moved.body.error.code]).toEqual([400, "TargetPermissionMissing"]);
    expect((await ferry.api.get<{ target: { resourceGroup: string } }>(item)).body.target.resourceGroup).toBe(
      "rg-migrated",
    );
  });

  it("makes a test migration's VM in the target group, and its cleanup leaves nothing there", async () => {
    const source = await SourceMachine.seeded(ferry.api);
    const before = await listGroupResources(arm, group);
    const job = await source.run("test-migrate", { network: "vnet-drill", subnet: "drill" });
    expect(job.state, JSON.stringify(job)).toBe("Succeeded");
    const { target } = await source.item();
    const made = (await listGroupResources(arm, group)).filter((r) => !before.some((b) => b.id === r.id));
    expect(made.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      `Microsoft.Compute/disks ${target.vmName}-Test-disk0`,
      `Microsoft.Compute/disks ${target.vmName}-Test-disk1`,
      `Microsoft.Compute/virtualMachines ${target.vmName}-Test`,
      `Microsoft.Network/networkInterfaces ${target.vmName}-Test-nic`,
    ]);
    const nic = arm.get(`${group}/providers/Microsoft.Network/networkInterfaces/${target.vmName}-Test-nic`);
    expect(JSON.stringify(nic)).toContain("/virtualNetworks/vnet-drill/subnets/drill");
    expect((await source.run("test-migrate-cleanup")).state).toBe("Succeeded");
    expect(await listGroupResources(arm, group)).toEqual(before);
  });
});

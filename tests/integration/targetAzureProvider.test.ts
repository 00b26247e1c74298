// The Azure target provider's requests at the HTTP boundary: the real ARM SDK clients against a
// stand-in Resource Manager, target VHD blobs in real Azurite.
import { randomBytes } from "node:crypto";
import type { TokenCredential } from "@azure/core-auth";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { newId } from "../../shared/domain/ids";
import { armClients, AzureTargetProvider } from "../../shared/target/azureTargetProvider";
import { createTargetRecords } from "../../shared/target/createTargetProvider";
import type { CreateTargetDiskInput, CreateTargetVmInput, TargetDisk } from "../../shared/target/targetProvider";
import { startFakeArm, type ArmRequest, type FakeArm } from "../support/fakeArm";
import { replicaWithSnapshot, vhdImage, type ReplicaStandIn } from "../support/targetKit";

const subscriptionId = "00000000-0000-0000-0000-00000000feed";
const storageAccountId = `/subscriptions/${subscriptionId}/resourceGroups/rg-ferry/providers/Microsoft.Storage/storageAccounts/ferrydata`;
const rg = `/subscriptions/${subscriptionId}/resourceGroups/rg-target`;
const credential: TokenCredential = {
  getToken: async () => ({ token: "fixed-test-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const osBytes = 4 * 1024 * 1024 + 512;
const dataBytes = 3 * 1024 * 1024;
const id = (kind: "project" | "virtualMachine" | "item" | "recoveryPoint") => newId(kind, new Date(), randomBytes);

let arm: FakeArm;
let provider: AzureTargetProvider;
let osReplica: ReplicaStandIn;
let dataReplica: ReplicaStandIn;

beforeAll(async () => {
  const storage = inject("storageConnectionString");
  arm = await startFakeArm({ asyncPuts: /\/virtualMachines\//i });
  const records = createTargetRecords({ kind: "connectionString", connectionString: storage }, () => new Date());
  provider = new AzureTargetProvider(
    records,
    armClients(credential, subscriptionId, { endpoint: arm.endpoint, caPem: arm.caPem }),
    { subscriptionId, storageAccountId },
    { pollIntervalMs: 10 },
  );
  osReplica = await replicaWithSnapshot(storage, "ferry-target-arm-tests", vhdImage(osBytes));
  dataReplica = await replicaWithSnapshot(storage, "ferry-target-arm-tests", vhdImage(dataBytes));
});
afterAll(async () => {
  await arm?.stop();
});

function disksFor(projectId: string, vmId: string, name: string, test: boolean): CreateTargetDiskInput[] {
  const common = {
    projectId,
    vmId,
    vmName: name,
    test,
    osType: "Windows",
    location: "westeurope",
    resourceGroup: "rg-target",
  } as const;
  return [
    {
      ...common,
      diskId: "disk0",
      source: osReplica.source,
      sizeBytes: osBytes,
      diskType: "Premium_LRS",
      isOsDisk: true,
    },
    {
      ...common,
      diskId: "disk1",
      source: dataReplica.source,
      sizeBytes: dataBytes,
      diskType: "Standard_LRS",
      isOsDisk: false,
    },
  ];
}

function vmFor(projectId: string, vmId: string, name: string, disks: TargetDisk[], test: boolean): CreateTargetVmInput {
  return {
    projectId,
    vmId,
    itemId: id("item"),
    recoveryPointId: id("recoveryPoint"),
    name,
    test,
    size: "Standard_E4s_v5",
    location: "westeurope",
    resourceGroup: "rg-target",
    network: "vnet-prod",
    subnet: "apps",
    osType: "Windows",
    osDiskId: "disk0",
    disks,
    availabilitySet: "avset-sql",
    hybridBenefit: true,
  };
}

/** Every test names its own VM: resources live in one resource group of one stand-in ARM. */
async function createAll(projectId: string, vmId: string, name: string, test = false) {
  const disks: TargetDisk[] = [];
  for (const input of disksFor(projectId, vmId, name, test)) disks.push(await provider.createDiskFromSnapshot(input));
  return { disks, vm: await provider.createVirtualMachine(vmFor(projectId, vmId, name, disks, test)) };
}

/** "PUT disks/sql01-disk0": what was asked of which resource, without the id prefix. */
function steps(requests: ArmRequest[]): string[] {
  return requests
    .filter((r) => !r.path.startsWith("/operations/"))
    .map((r) => `${r.method} ${r.path.replace(/^.*\/providers\/Microsoft\.\w+\//, "")}`);
}

function body(method: string, pathEnd: string, from = arm.requests): Record<string, unknown> {
  return from.find((r) => r.method === method && r.path.endsWith(pathEnd))?.body ?? {};
}

describe("Azure target provider", () => {
  it("imports each disk from its VHD blob, then creates the NIC in the subnet, then the VM attaching them", async () => {
    const [projectId, vmId] = [id("project"), id("virtualMachine")];
    const from = arm.requests.length;
    const { vm } = await createAll(projectId, vmId, "sql01");
    const sent = arm.requests.slice(from);
    expect(steps(sent)).toEqual([
      "GET disks/sql01-disk0",
      "PUT disks/sql01-disk0",
      "GET disks/sql01-disk1",
      "PUT disks/sql01-disk1",
      "GET networkInterfaces/sql01-nic",
      "PUT networkInterfaces/sql01-nic",
      "GET virtualMachines/sql01",
      "PUT virtualMachines/sql01",
      "GET virtualMachines/sql01",
    ]);
    expect(sent.every((r) => r.apiVersion !== null && r.authorization === "Bearer fixed-test-token")).toBe(true);
    expect(sent.filter((r) => r.path.startsWith("/operations/"))).toHaveLength(1); // the VM PUT's Azure-AsyncOperation was polled
    expect(body("PUT", "/disks/sql01-disk0", sent)).toEqual({
      location: "westeurope",
      sku: { name: "Premium_LRS" },
      tags: { "ferry-project": projectId, "ferry-vm": vmId },
      properties: {
        osType: "Windows",
        creationData: {
          createOption: "Import",
          sourceUri: expect.stringMatching(new RegExp(`/ferry-targets/${projectId}/${vmId}/disk0\\.vhd$`)),
          storageAccountId,
        },
      },
    });
    expect(body("PUT", "/disks/sql01-disk1", sent)).toMatchObject({
      sku: { name: "Standard_LRS" },
      properties: { creationData: { sourceUri: expect.stringMatching(/\/disk1\.vhd$/) } },
    });
    expect(body("PUT", "/disks/sql01-disk1", sent).properties).not.toHaveProperty("osType");
    expect(body("PUT", "/networkInterfaces/sql01-nic", sent)).toMatchObject({
      location: "westeurope",
      properties: {
        ipConfigurations: [
          {
            name: "ipconfig1",
            properties: {
              primary: true,
              privateIPAllocationMethod: "Dynamic",
              subnet: { id: `${rg}/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/apps` },
            },
          },
        ],
      },
    });
    expect(body("PUT", "/virtualMachines/sql01", sent)).toMatchObject({
      location: "westeurope",
      properties: {
        hardwareProfile: { vmSize: "Standard_E4s_v5" },
        storageProfile: {
          osDisk: {
            createOption: "Attach",
            osType: "Windows",
            managedDisk: {
              id: `${rg}/providers/Microsoft.Compute/disks/sql01-disk0`,
              storageAccountType: "Premium_LRS",
            },
          },
          dataDisks: [
            {
              lun: 0,
              createOption: "Attach",
              managedDisk: {
                id: `${rg}/providers/Microsoft.Compute/disks/sql01-disk1`,
                storageAccountType: "Standard_LRS",
              },
            },
          ],
        },
        networkProfile: {
          networkInterfaces: [
            { id: `${rg}/providers/Microsoft.Network/networkInterfaces/sql01-nic`, properties: { primary: true } },
          ],
        },
        licenseType: "Windows_Server",
        availabilitySet: { id: `${rg}/providers/Microsoft.Compute/availabilitySets/avset-sql` },
      },
    });
    expect(vm).toMatchObject({
      name: "sql01",
      state: "Running",
      nic: { name: "sql01-nic", privateIpAddress: "10.1.0.4" },
      resourceId: `${rg}/providers/Microsoft.Compute/virtualMachines/sql01`,
    });
    expect(await provider.getVirtualMachine(projectId, vmId)).toEqual(vm);
  });

  it("creates nothing twice when a create is retried: existing disks, NIC and VM are reused", async () => {
    const [projectId, vmId] = [id("project"), id("virtualMachine")];
    const first = await createAll(projectId, vmId, "sql01", true);
    const from = arm.requests.length;
    const again = await createAll(projectId, vmId, "sql01", true);
    expect(steps(arm.requests.slice(from))).toEqual([
      "GET disks/sql01-Test-disk0",
      "GET disks/sql01-Test-disk1",
      "GET networkInterfaces/sql01-Test-nic",
      "GET virtualMachines/sql01-Test",
    ]);
    expect(again).toEqual(first);
  });

  it("resumes a create that failed at the VM without making its NIC again", async () => {
    const [projectId, vmId] = [id("project"), id("virtualMachine")];
    const from = arm.requests.length;
    arm.failNext("PUT", /\/virtualMachines\/sql02$/, 409);
    await expect(createAll(projectId, vmId, "sql02")).rejects.toMatchObject({ statusCode: 409 });
    expect(await provider.getVirtualMachine(projectId, vmId)).toBeUndefined();
    await createAll(projectId, vmId, "sql02");
    const puts = steps(arm.requests.slice(from)).filter((step) => step.startsWith("PUT"));
    expect(puts).toEqual([
      "PUT disks/sql02-disk0",
      "PUT disks/sql02-disk1",
      "PUT networkInterfaces/sql02-nic",
      "PUT virtualMachines/sql02",
      "PUT virtualMachines/sql02",
    ]);
  });

  it("deletes the VM, then its NIC, then its disks, and deleting again is fine", async () => {
    const [projectId, vmId] = [id("project"), id("virtualMachine")];
    await createAll(projectId, vmId, "sql03");
    const from = arm.requests.length;
    await provider.deleteVirtualMachine(projectId, vmId);
    expect(steps(arm.requests.slice(from))).toEqual([
      "DELETE virtualMachines/sql03",
      "DELETE networkInterfaces/sql03-nic",
      "DELETE disks/sql03-disk0",
      "DELETE disks/sql03-disk1",
    ]);
    expect(arm.has(`${rg}/providers/Microsoft.Compute/virtualMachines/sql03`)).toBe(false);
    expect(await provider.getVirtualMachine(projectId, vmId)).toBeUndefined();
    const again = arm.requests.length;
    await provider.deleteVirtualMachine(projectId, vmId);
    expect(arm.requests.length).toBe(again);
  });
});

// The Azure target provider's requests at the HTTP boundary: the real ARM SDK clients against a
// stand-in Resource Manager, target VHD blobs in real Azurite.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  body as sentBody,
  createAll as createIn,
  id,
  rg,
  startArmTarget,
  steps,
  storageAccountId,
  type ArmTarget,
} from "../support/armTargetKit";
import { listGroupResources, type FakeArm } from "../support/fakeArm";

let t: ArmTarget;
let arm: FakeArm;
let provider: ArmTarget["provider"];

beforeAll(async () => {
  t = await startArmTarget(inject("storageConnectionString"));
  ({ arm, provider } = t);
});
afterAll(async () => {
  await arm?.stop();
});

const createAll = (projectId: string, vmId: string, name: string, test = false) =>
  createIn(t, projectId, vmId, name, test);
const body = (method: string, pathEnd: string, from = arm.requests) => sentBody(from, method, pathEnd);

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

  it("waits as long as Retry-After says when Resource Manager throttles a call, then makes it", async () => {
    const [projectId, vmId] = [id("project"), id("virtualMachine")];
    arm.throttleNext("PUT", /\/disks\/sql04-disk0$/, 1);
    const from = arm.requests.length;
    await createAll(projectId, vmId, "sql04");
    const puts = arm.requests.slice(from).filter((r) => r.method === "PUT" && r.path.endsWith("/disks/sql04-disk0"));
    expect(puts).toHaveLength(2);
    expect(puts[1]!.at - puts[0]!.at).toBeGreaterThanOrEqual(990);
    expect(arm.has(`${rg}/providers/Microsoft.Compute/disks/sql04-disk0`)).toBe(true);
  });

  it("places the VM in its availability set with Hybrid Benefit; the set lists it until the VM is deleted", async () => {
    const [projectId, vmId] = [id("project"), id("virtualMachine")];
    const { vm } = await createAll(projectId, vmId, "sql05");
    const set = `${rg}/providers/Microsoft.Compute/availabilitySets/avset-sql`;
    const members = () => (arm.get(set)?.properties as { virtualMachines?: { id: string }[] }).virtualMachines ?? [];
    expect(members()).toContainEqual({ id: vm.resourceId });
    expect(arm.get(vm.resourceId ?? "")?.properties).toMatchObject({ licenseType: "Windows_Server" });
    await provider.deleteVirtualMachine(projectId, vmId);
    expect(members()).not.toContainEqual({ id: vm.resourceId });
    expect(arm.has(set)).toBe(true); // the set is the operator's, not Ferry's
  });

  it("leaves nothing in the target group after a test migration's cleanup, as listing the group shows", async () => {
    const [projectId, vmId] = [id("project"), id("virtualMachine")];
    const before = await listGroupResources(arm, rg);
    await createAll(projectId, vmId, "app01", true);
    const during = (await listGroupResources(arm, rg)).filter((r) => !before.some((b) => b.id === r.id));
    expect(during.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      "Microsoft.Compute/disks app01-Test-disk0",
      "Microsoft.Compute/disks app01-Test-disk1",
      "Microsoft.Compute/virtualMachines app01-Test",
      "Microsoft.Network/networkInterfaces app01-Test-nic",
    ]);
    await provider.deleteVirtualMachine(projectId, vmId);
    expect(await listGroupResources(arm, rg)).toEqual(before);
  });

  it("cleans up what a create made before it failed without writing the VM's record", async () => {
    const [projectId, vmId] = [id("project"), id("virtualMachine")];
    const before = await listGroupResources(arm, rg);
    arm.failNext("PUT", /\/virtualMachines\/app02-Test$/, 409);
    await expect(createAll(projectId, vmId, "app02", true)).rejects.toMatchObject({ statusCode: 409 });
    expect(await provider.getVirtualMachine(projectId, vmId)).toBeUndefined();
    expect((await listGroupResources(arm, rg)).length).toBe(before.length + 3); // two disks and the NIC
    await provider.deleteVirtualMachine(projectId, vmId);
    expect(await listGroupResources(arm, rg)).toEqual(before);
  });
});

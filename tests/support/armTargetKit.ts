// The Azure target provider wired as in Azure, but against the stand-in Resource Manager: real ARM
// SDK clients, target VHD blobs in real Azurite, and a target group holding what an operator would
// have made beforehand (a virtual network with its subnets, an availability set).
import { randomBytes } from "node:crypto";
import type { TokenCredential } from "@azure/core-auth";
import { newId } from "../../shared/domain/ids";
import { armClients } from "../../shared/target/armClients";
import { AzureTargetProvider } from "../../shared/target/azureTargetProvider";
import { createTargetRecords } from "../../shared/target/createTargetProvider";
import type { CreateTargetDiskInput, CreateTargetVmInput, TargetDisk } from "../../shared/target/targetProvider";
import { startFakeArm, type ArmRequest, type FakeArm } from "./fakeArm";
import { replicaWithSnapshot, vhdImage, type ReplicaStandIn } from "./targetKit";

export const subscriptionId = "00000000-0000-0000-0000-00000000feed";
export const storageAccountId = `/subscriptions/${subscriptionId}/resourceGroups/rg-ferry/providers/Microsoft.Storage/storageAccounts/ferrydata`;
export const rg = `/subscriptions/${subscriptionId}/resourceGroups/rg-target`;
const credential: TokenCredential = {
  getToken: async () => ({ token: "fixed-test-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const osBytes = 4 * 1024 * 1024 + 512;
const dataBytes = 3 * 1024 * 1024;
export const id = (kind: "project" | "virtualMachine" | "item" | "recoveryPoint") =>
  newId(kind, new Date(), randomBytes);

/** What a target group holds before Ferry comes: a network with subnets and an availability set. */
export function seedTargetGroup(arm: FakeArm, group: string): void {
  const subnets = ["apps", "default"].map((name) => ({ name, properties: { addressPrefix: "10.1.0.0/24" } }));
  arm.seed(`${group}/providers/Microsoft.Network/virtualNetworks/vnet-prod`, {
    location: "westeurope",
    properties: { subnets },
  });
  arm.seed(`${group}/providers/Microsoft.Compute/availabilitySets/avset-sql`, {
    location: "westeurope",
    properties: { platformFaultDomainCount: 2 },
  });
}

export interface ArmTarget {
  arm: FakeArm;
  provider: AzureTargetProvider;
  osReplica: ReplicaStandIn;
  dataReplica: ReplicaStandIn;
}

export async function startArmTarget(storage: string): Promise<ArmTarget> {
  const arm = await startFakeArm({ asyncPuts: /\/virtualMachines\//i });
  seedTargetGroup(arm, rg);
  const records = createTargetRecords({ kind: "connectionString", connectionString: storage }, () => new Date());
  const provider = new AzureTargetProvider(
    records,
    armClients(credential, subscriptionId, { endpoint: arm.endpoint, caPem: arm.caPem }),
    { subscriptionId, storageAccountId },
    { pollIntervalMs: 10 },
  );
  const osReplica = await replicaWithSnapshot(storage, "ferry-target-arm-tests", vhdImage(osBytes));
  const dataReplica = await replicaWithSnapshot(storage, "ferry-target-arm-tests", vhdImage(dataBytes));
  return { arm, provider, osReplica, dataReplica };
}

export function disksFor(t: ArmTarget, projectId: string, vmId: string, name: string, test: boolean) {
  const common = {
    projectId,
    vmId,
    vmName: name,
    test,
    osType: "Windows",
    location: "westeurope",
    resourceGroup: "rg-target",
  } as const;
  const disks: CreateTargetDiskInput[] = [
    {
      ...common,
      diskId: "disk0",
      source: t.osReplica.source,
      sizeBytes: osBytes,
      diskType: "Premium_LRS",
      isOsDisk: true,
    },
    {
      ...common,
      diskId: "disk1",
      source: t.dataReplica.source,
      sizeBytes: dataBytes,
      diskType: "Standard_LRS",
      isOsDisk: false,
    },
  ];
  return disks;
}

export function vmFor(
  projectId: string,
  vmId: string,
  name: string,
  disks: TargetDisk[],
  test: boolean,
): CreateTargetVmInput {
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
export async function createAll(t: ArmTarget, projectId: string, vmId: string, name: string, test = false) {
  const disks: TargetDisk[] = [];
  for (const input of disksFor(t, projectId, vmId, name, test))
    disks.push(await t.provider.createDiskFromSnapshot(input));
  return { disks, vm: await t.provider.createVirtualMachine(vmFor(projectId, vmId, name, disks, test)) };
}

/** "PUT disks/sql01-disk0": what was asked of which resource, without the id prefix. */
export function steps(requests: ArmRequest[]): string[] {
  return requests
    .filter((r) => !r.path.startsWith("/operations/"))
    .map((r) => `${r.method} ${r.path.replace(/^.*\/providers\/Microsoft\.\w+\//, "")}`);
}

export function body(requests: ArmRequest[], method: string, pathEnd: string): Record<string, unknown> {
  return requests.find((r) => r.method === method && r.path.endsWith(pathEnd))?.body ?? {};
}

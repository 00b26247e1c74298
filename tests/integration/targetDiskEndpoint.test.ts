// The operator's view of target VMs over real HTTP: a VM the local provider created (failover
// orchestration comes later) is listed, and its disk downloads as the exact fixed VHD, whole or by Range.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { virtualMachineSchema } from "../../shared/api/virtualMachines";
import { newId } from "../../shared/domain/ids";
import { startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";
import { localTargets, replicaWithSnapshot, sha256, vhdImage } from "../support/targetKit";

const diskBytes = 10 * 1024 * 1024 + 12345;
let ferry: RunningFerry;
const s: { projectId: string; otherProjectId: string; vmId: string; image: Buffer } = {
  projectId: "",
  otherProjectId: "",
  vmId: newId("virtualMachine", new Date(), randomBytes),
  image: Buffer.alloc(0),
};

async function createProject(name: string): Promise<string> {
  return (
    await ferry.api.expect<{ id: string }>(
      ferry.api.post("/projects", { name, geography: "Europe", targetRegion: "westeurope" }),
      201,
    )
  ).id;
}

beforeAll(async () => {
  const storage = inject("storageConnectionString");
  ferry = await startFerry(storage);
  s.projectId = await createProject("vms");
  s.otherProjectId = await createProject("vms-other");
  const replica = await replicaWithSnapshot(storage, "ferry-target-http-tests", vhdImage(diskBytes));
  s.image = replica.image;
  const targets = localTargets(storage);
  const disk = await targets.createDiskFromSnapshot({
    projectId: s.projectId,
    vmId: s.vmId,
    vmName: "app01",
    test: false,
    diskId: "disk0",
    source: replica.source,
    sizeBytes: diskBytes,
    diskType: "Premium_LRS",
    isOsDisk: true,
    osType: "Windows",
    location: "westeurope",
    resourceGroup: "rg-migrated",
  });
  await targets.createVirtualMachine({
    projectId: s.projectId,
    vmId: s.vmId,
    itemId: newId("item", new Date(), randomBytes),
    recoveryPointId: newId("recoveryPoint", new Date(), randomBytes),
    name: "app01",
    test: false,
    size: "Standard_D4s_v5",
    location: "westeurope",
    resourceGroup: "rg-migrated",
    network: "vnet-prod",
    osType: "Windows",
    osDiskId: "disk0",
    disks: [disk],
    hybridBenefit: true,
  });
});
afterAll(async () => {
  await ferry?.stop();
});

const diskPath = () => `/projects/${s.projectId}/virtual-machines/${s.vmId}/disks/disk0`;

async function download(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(ferry.api.url(path), {
    headers: { authorization: `Bearer ${ferry.api.operatorKey}`, ...headers },
  });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

describe("target VMs over the operator API", () => {
  it("lists the project's VMs and gets one, in the published schema", async () => {
    const list = await ferry.api.expect<{ value: unknown[] }>(
      ferry.api.get(`/projects/${s.projectId}/virtual-machines`),
      200,
    );
    expect(list.value).toHaveLength(1);
    expect(virtualMachineSchema.safeParse(list.value[0]).error).toBeUndefined();
    const vm = await ferry.api.expect(ferry.api.get(`/projects/${s.projectId}/virtual-machines/${s.vmId}`), 200);
    expect(vm).toEqual(list.value[0]);
    expect(vm).toMatchObject({
      id: s.vmId,
      name: "app01",
      kind: "Migration",
      vmSize: "Standard_D4s_v5",
      hybridBenefit: true,
      state: "Running",
      osType: "Windows",
      disks: [
        {
          diskId: "disk0",
          isOsDisk: true,
          diskType: "Premium_LRS",
          sizeBytes: diskBytes,
          vhdSizeBytes: s.image.length,
        },
      ],
    });
  });

  it("streams the whole disk as the fixed VHD with its length and range support", async () => {
    const reply = await download(diskPath());
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toBe("application/octet-stream");
    expect(reply.headers.get("content-length")).toBe(String(s.image.length));
    expect(reply.headers.get("accept-ranges")).toBe("bytes");
    expect(sha256(reply.body)).toBe(sha256(s.image));
  });

  it("answers a Range with 206 and exactly those bytes, across read chunks and for the footer", async () => {
    const start = 4 * 1024 * 1024 - 100;
    const end = 9 * 1024 * 1024 + 7;
    const middle = await download(diskPath(), { range: `bytes=${start}-${end}` });
    expect(middle.status).toBe(206);
    expect(middle.headers.get("content-range")).toBe(`bytes ${start}-${end}/${s.image.length}`);
    expect(middle.headers.get("content-length")).toBe(String(end - start + 1));
    expect(sha256(middle.body)).toBe(sha256(s.image.subarray(start, end + 1)));
    const footer = await download(diskPath(), { range: "bytes=-512" });
    expect([footer.status, footer.body.toString("ascii", 0, 8)]).toEqual([206, "conectix"]);
    const tail = await download(diskPath(), { range: `bytes=${s.image.length - 10}-` });
    expect(tail.body).toEqual(s.image.subarray(s.image.length - 10));
  });

  it("refuses a range beyond the disk with 416 and the catalog error", async () => {
    const reply = await download(diskPath(), { range: `bytes=${s.image.length}-` });
    expect(reply.status).toBe(416);
    expect((JSON.parse(reply.body.toString()) as ApiError).error.code).toBe("RangeNotSatisfiable");
  });

  it("answers 404 for another project's VM, an unknown disk, and without the operator key 401", async () => {
    const other = `/projects/${s.otherProjectId}/virtual-machines/${s.vmId}`;
    expect((await ferry.api.get<ApiError>(other)).status).toBe(404);
    expect((await download(`${other}/disks/disk0`)).status).toBe(404);
    const unknown = await ferry.api.get<ApiError>(`/projects/${s.projectId}/virtual-machines/${s.vmId}/disks/disk9`);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "NotFound"]);
    expect((await ferry.api.get(`/projects/${s.otherProjectId}/virtual-machines`)).body).toEqual({ value: [] });
    expect((await download(diskPath(), { authorization: "Bearer wrong" })).status).toBe(401);
  });
});

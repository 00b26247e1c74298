import { describe, expect, it } from "vitest";
import type { Machine } from "../../shared/controlPlane/machines";
import { planTarget } from "../../shared/controlPlane/targetSettings";

const machine: Machine = {
  id: "mch_1",
  projectId: "prj_1",
  applianceId: "apl_1",
  hostname: "web01.contoso.local",
  os: "Linux",
  osVersion: "6.8.0",
  cpus: 2,
  memoryMiB: 4096,
  disks: [{ id: "disk0", sizeBytes: 8 * 1024 ** 3, isBoot: true }],
  nics: [{ mac: "00:15:5d:01:02:03", ip: "10.0.0.4" }],
  discoveredAt: "2026-01-01T00:00:00Z",
  registeredAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
};

describe("choosing a replication's network", () => {
  it("keeps the network and subnet the request names, whatever the deployment's default", () => {
    const { target } = planTarget(
      machine,
      { resourceGroup: "rg", network: "vnet-app", subnet: "web" },
      { network: "vnet-hub", subnet: "shared" },
    );
    expect(target).toMatchObject({ network: "vnet-app", subnet: "web" });
  });

  it("takes the deployment's default network and subnet when the request names no network", () => {
    const { target } = planTarget(machine, { resourceGroup: "rg" }, { network: "vnet-hub", subnet: "shared" });
    expect(target).toMatchObject({ network: "vnet-hub", subnet: "shared" });
  });

  it("uses the subnet named 'default' when none is named, never the default network's subnet for another network", () => {
    expect(
      planTarget(machine, { resourceGroup: "rg", network: "vnet-app" }, { network: "v", subnet: "s" }).target,
    ).toMatchObject({ network: "vnet-app", subnet: "default" });
    expect(planTarget(machine, { resourceGroup: "rg" }, { network: "vnet-hub" }).target.subnet).toBe("default");
  });

  it("refuses a request without a network where the deployment has no default", () => {
    expect(() => planTarget(machine, { resourceGroup: "rg" }, {})).toThrow(
      expect.objectContaining({ code: "InvalidInput", httpStatus: 400, target: "target.network" }),
    );
  });
});

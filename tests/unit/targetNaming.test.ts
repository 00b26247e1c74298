import { describe, expect, it } from "vitest";
import {
  placeholderPrivateIp,
  targetBlobName,
  targetDiskName,
  targetNicName,
  targetVmName,
} from "../../shared/domain/targetNaming";

describe("target naming", () => {
  it("suffixes a test migration's VM with -Test, and names its disks and NIC after it", () => {
    const name = targetVmName("web01", true);
    expect([name, targetVmName("web01", false)]).toEqual(["web01-Test", "web01"]);
    expect([targetDiskName(name, "disk0"), targetNicName(name)]).toEqual(["web01-Test-disk0", "web01-Test-nic"]);
  });

  it("keeps each VM's blobs under its project and VM ids", () => {
    expect(targetBlobName("prj_1", "vm_2", "disk0")).toBe("prj_1/vm_2/disk0.vhd");
  });

  it("gives a stable placeholder address outside the addresses Azure reserves in a subnet", () => {
    const ips = ["vm_a", "vm_b", "vm_c", "vm_01m80cv6zy4cpkfthdm2vnf957"].map(placeholderPrivateIp);
    expect(placeholderPrivateIp("vm_a")).toBe(ips[0]);
    for (const ip of ips) {
      const octets = ip.split(".").map(Number);
      expect(octets[0]).toBe(10);
      expect(octets[3]).toBeGreaterThanOrEqual(4);
      expect(octets[3]).toBeLessThanOrEqual(254);
    }
  });
});

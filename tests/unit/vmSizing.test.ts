import { describe, expect, it } from "vitest";
import { vmSizeCatalog } from "../../shared/domain/vmSizeCatalog";
import { closestVmSize, findVmSize, resolveVmSize } from "../../shared/domain/vmSizing";

function pick(needs: Parameters<typeof closestVmSize>[0]): string {
  const result = closestVmSize(needs);
  if (!result.ok) throw result.error;
  return result.value.name;
}

describe("VM size catalog", () => {
  it("holds unique, plausible sizes across the common series", () => {
    const names = vmSizeCatalog.map((size) => size.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(vmSizeCatalog.map((size) => size.series))).toEqual(
      new Set(["Bs", "Dv5", "Dsv5", "Ddsv5", "Esv5", "Fsv2", "Av2"]),
    );
    for (const size of vmSizeCatalog) {
      expect(size.name).toMatch(/^Standard_[A-Za-z0-9_]+$/);
      expect(size.vCpus).toBeGreaterThan(0);
      expect(size.maxDataDisks).toBeGreaterThanOrEqual(2);
    }
  });

  it("knows the facts of well-known sizes", () => {
    expect(vmSizeCatalog.find((size) => size.name === "Standard_D2s_v5")).toMatchObject({
      vCpus: 2,
      memoryGiB: 8,
      maxDataDisks: 4,
      premiumStorage: true,
    });
    expect(vmSizeCatalog.find((size) => size.name === "Standard_E4s_v5")).toMatchObject({
      vCpus: 4,
      memoryGiB: 32,
      maxDataDisks: 8,
    });
    expect(vmSizeCatalog.find((size) => size.name === "Standard_A2_v2")).toMatchObject({ premiumStorage: false });
  });
});

describe("closest VM size", () => {
  it("picks the smallest size that meets cores, memory and disks", () => {
    expect(pick({ cpus: 2, memoryMiB: 8192, dataDiskCount: 2 })).toBe("Standard_B2ms");
    expect(pick({ cpus: 4, memoryMiB: 20 * 1024, dataDiskCount: 1 })).toBe("Standard_A4m_v2");
    expect(pick({ cpus: 4, memoryMiB: 20 * 1024, dataDiskCount: 1, premium: true })).toBe("Standard_E4s_v5");
  });

  it("breaks ties by fewer vCPUs, then less memory, then name", () => {
    // A2_v2, B2s and F2s_v2 all have 2 vCPUs and 4 GiB: the name decides.
    expect(pick({ cpus: 2, memoryMiB: 4096, dataDiskCount: 0 })).toBe("Standard_A2_v2");
    expect(pick({ cpus: 1, memoryMiB: 512, dataDiskCount: 0 })).toBe("Standard_B1s");
  });

  it("needs premium storage support when a premium disk is asked for", () => {
    expect(pick({ cpus: 2, memoryMiB: 4096, dataDiskCount: 0, premium: true })).toBe("Standard_B2s");
  });

  it("rounds memory up: 8193 MiB needs more than an 8 GiB size", () => {
    expect(pick({ cpus: 2, memoryMiB: 8193, dataDiskCount: 0 })).toBe("Standard_A2m_v2");
  });

  it("grows the size to attach more data disks", () => {
    expect(pick({ cpus: 1, memoryMiB: 1024, dataDiskCount: 9 })).toBe("Standard_A8_v2");
  });

  it("says clearly when nothing fits", () => {
    const result = closestVmSize({ cpus: 128, memoryMiB: 1024, dataDiskCount: 1 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("NoMatchingVmSize");
      expect(result.error.message).toContain("128 vCPUs");
      expect(result.error.target).toBe("target.vmSize");
    }
  });
});

describe("explicit VM sizes", () => {
  it("accepts a catalog name in any case and returns its canonical spelling", () => {
    const result = findVmSize("standard_d4s_V5");
    expect(result.ok && result.value.name).toBe("Standard_D4s_v5");
  });

  it("refuses a name the catalog does not know", () => {
    const result = findVmSize("Standard_Z99");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: "InvalidInput", target: "target.vmSize" });
  });

  it("treats auto and nothing as the closest match", () => {
    const needs = { cpus: 2, memoryMiB: 8192, dataDiskCount: 0 };
    expect(resolveVmSize("auto", needs)).toEqual(closestVmSize(needs));
    expect(resolveVmSize(undefined, needs)).toEqual(closestVmSize(needs));
  });

  it("refuses an explicit size that cannot attach the included disks or premium disks", () => {
    expect(resolveVmSize("Standard_B1s", { cpus: 1, memoryMiB: 1024, dataDiskCount: 3 }).ok).toBe(false);
    expect(resolveVmSize("Standard_D2_v5", { cpus: 1, memoryMiB: 1024, dataDiskCount: 1, premium: true }).ok).toBe(
      false,
    );
    expect(resolveVmSize("Standard_D2s_v5", { cpus: 8, memoryMiB: 1024, dataDiskCount: 1, premium: true }).ok).toBe(
      true,
    );
  });
});

import { describe, expect, it } from "vitest";
import { maxDataDiskBytes, planTargetDisks, sizingNeedsFor, type SourceDisk } from "../../shared/domain/targetDisks";
import { unwrap } from "../../shared/domain/result";

const gib = 2 ** 30;
const disks: SourceDisk[] = [
  { id: "disk0", sizeBytes: 64 * gib, isBoot: true },
  { id: "disk1", sizeBytes: 512 * gib, isBoot: false },
  { id: "disk2", sizeBytes: 128 * gib, isBoot: false },
];

describe("target disk plan", () => {
  it("includes every disk with the default type when nothing is chosen, the boot disk as OS disk", () => {
    const plan = unwrap(planTargetDisks({ sourceDisks: disks }));
    expect(plan.map((disk) => [disk.diskId, disk.isOsDisk, disk.include, disk.diskType])).toEqual([
      ["disk0", true, true, "StandardSSD_LRS"],
      ["disk1", false, true, "StandardSSD_LRS"],
      ["disk2", false, true, "StandardSSD_LRS"],
    ]);
  });

  it("applies per-disk include, exclude and type", () => {
    const plan = unwrap(
      planTargetDisks({
        sourceDisks: disks,
        choices: [
          { diskId: "disk2", include: false, diskType: "Standard_LRS" },
          { diskId: "disk1", include: true, diskType: "Premium_LRS" },
        ],
      }),
    );
    expect(sizingNeedsFor({ cpus: 4, memoryMiB: 16384 }, plan)).toEqual({
      cpus: 4,
      memoryMiB: 16384,
      dataDiskCount: 1,
      premium: true,
    });
  });

  it("refuses to exclude the OS disk", () => {
    const result = planTargetDisks({
      sourceDisks: disks,
      choices: [{ diskId: "disk0", include: false, diskType: "Standard_LRS" }],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/OS disk 'disk0' cannot be excluded/);
  });

  it("names the choice that points at a disk the machine does not have", () => {
    const result = planTargetDisks({
      sourceDisks: disks,
      choices: [
        { diskId: "disk0", include: true, diskType: "Standard_LRS" },
        { diskId: "sdz", include: true, diskType: "Standard_LRS" },
      ],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.target).toBe("target.disks[1].diskId");
  });

  it("honours an explicit OS disk", () => {
    const plan = unwrap(planTargetDisks({ sourceDisks: disks, osDiskId: "disk1" }));
    expect(plan.find((disk) => disk.isOsDisk)?.diskId).toBe("disk1");
    expect(planTargetDisks({ sourceDisks: disks, osDiskId: "nope" }).ok).toBe(false);
  });

  it("refuses disks larger than Azure allows unless excluded", () => {
    const huge = [...disks, { id: "disk3", sizeBytes: maxDataDiskBytes + gib, isBoot: false }];
    expect(planTargetDisks({ sourceDisks: huge }).ok).toBe(false);
    expect(
      planTargetDisks({ sourceDisks: huge, choices: [{ diskId: "disk3", include: false, diskType: "Standard_LRS" }] })
        .ok,
    ).toBe(true);
    const bigBoot = [{ id: "disk0", sizeBytes: 5000 * gib, isBoot: true }];
    const result = planTargetDisks({ sourceDisks: bigBoot });
    expect(!result.ok && result.error.message).toMatch(/at most 4095 GiB for an OS disk/);
  });
});

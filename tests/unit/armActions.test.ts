import { describe, expect, it } from "vitest";
import { grants, missingActions } from "../../shared/domain/armActions";

describe("Resource Manager action matching", () => {
  it("grants an action named exactly, whatever its case", () => {
    expect(grants({ actions: ["Microsoft.Compute/disks/write"] }, "microsoft.compute/Disks/Write")).toBe(true);
    expect(grants({ actions: ["Microsoft.Compute/disks/write"] }, "Microsoft.Compute/disks/delete")).toBe(false);
  });

  it("lets a wildcard stand for any run of characters, slashes included", () => {
    const contributor = { actions: ["*"] };
    const reader = { actions: ["*/read"] };
    const network = { actions: ["Microsoft.Network/*"] };
    expect(grants(contributor, "Microsoft.Compute/virtualMachines/delete")).toBe(true);
    expect(grants(reader, "Microsoft.Network/virtualNetworks/subnets/read")).toBe(true);
    expect(grants(reader, "Microsoft.Compute/disks/write")).toBe(false);
    expect(grants(network, "Microsoft.Network/networkInterfaces/join/action")).toBe(true);
    expect(grants(network, "Microsoft.NetworkX/anything")).toBe(false);
  });

  it("takes away what notActions match within the same permission", () => {
    const noDeletes = { actions: ["Microsoft.Compute/*"], notActions: ["*/delete"] };
    expect(grants(noDeletes, "Microsoft.Compute/disks/write")).toBe(true);
    expect(grants(noDeletes, "Microsoft.Compute/disks/delete")).toBe(false);
  });

  it("adds permissions up: what one role's notActions remove, another role may grant", () => {
    const held = [{ actions: ["Microsoft.Compute/*"], notActions: ["*/delete"] }, { actions: ["*/delete"] }];
    expect(
      missingActions(["Microsoft.Compute/disks/delete", "Microsoft.Network/networkInterfaces/write"], held),
    ).toEqual(["Microsoft.Network/networkInterfaces/write"]);
  });

  it("treats dots and other characters in a pattern literally", () => {
    expect(grants({ actions: ["Microsoft.Compute/disks/read"] }, "MicrosoftXCompute/disks/read")).toBe(false);
  });
});

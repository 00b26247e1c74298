import { describe, expect, it } from "vitest";
import { serverRoot } from "../../client/serverUrl";
import { expiryTime } from "../../cli/actions/key";
import { diskSettings } from "../../cli/actions/replicate";
import { ResolveError } from "../../cli/cliErrors";
import { pickOne } from "../../cli/nameMatch";

const servers = [
  { item: "a", id: "itm_a", names: ["web01", "web01-vm"] },
  { item: "b", id: "itm_b", names: ["Web01"] },
  { item: "c", id: "itm_c", names: ["db01"] },
];

function refusal(run: () => unknown): ResolveError {
  try {
    run();
  } catch (error) {
    if (error instanceof ResolveError) return error;
    throw error;
  }
  throw new Error("no error");
}

describe("picking a resource by id or name", () => {
  it("takes an id first, then the exact name, then the name in any case", () => {
    expect(pickOne("server", "itm_b", servers)).toBe("b");
    expect(pickOne("server", "web01", servers)).toBe("a");
    expect(pickOne("server", "web01-vm", servers)).toBe("a");
    expect(pickOne("server", "DB01", servers)).toBe("c");
  });

  it("refuses a name two resources answer to, naming each with its id", () => {
    const error = refusal(() => pickOne("server", "WEB01", servers));
    expect(error.code).toBe("AmbiguousName");
    expect(error.message).toBe('"WEB01" names 2 servers: web01 (itm_a), Web01 (itm_b). Use the id.');
  });

  it("refuses a name nothing answers to, listing what there is", () => {
    const error = refusal(() => pickOne("server", "mail01", servers));
    expect(error.code).toBe("NotFound");
    expect(error.message).toBe('No server is named "mail01"; there are: web01 (itm_a), Web01 (itm_b), db01 (itm_c).');
    expect(refusal(() => pickOne("VM", "x", [])).message).toBe('No VM is named "x"; there are none yet.');
  });
});

describe("command-line values", () => {
  it("accepts a server's host root or its API base", () => {
    expect(serverRoot("http://127.0.0.1:7071")).toBe("http://127.0.0.1:7071");
    expect(serverRoot("http://127.0.0.1:7071/api/")).toBe("http://127.0.0.1:7071");
    expect(serverRoot("https://ferry.example.net/tenant1/api")).toBe("https://ferry.example.net/tenant1");
    expect(serverRoot("ferry-host:7071")).toBe("http://ferry-host:7071");
    expect(() => serverRoot("ftp://ferry-host")).toThrow("http:// or https://");
  });

  it("turns --exclude-disk and --disk-type into per-disk settings for the disks named only", () => {
    expect(diskSettings([], [])).toBeUndefined();
    expect(diskSettings(["disk1"], ["disk0=premium_lrs"])).toEqual([
      { diskId: "disk1", include: false, diskType: "StandardSSD_LRS" },
      { diskId: "disk0", include: true, diskType: "Premium_LRS" },
    ]);
    expect(() => diskSettings([], ["disk0"])).toThrow("--disk-type wants DISK=TYPE");
  });

  it("reads --expires as a duration from now or a time", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(expiryTime("90d", now)).toBe("2026-04-01T00:00:00.000Z");
    expect(expiryTime("12h", now)).toBe("2026-01-01T12:00:00.000Z");
    expect(expiryTime("2026-06-30T00:00:00Z", now)).toBe("2026-06-30T00:00:00.000Z");
    expect(() => expiryTime("soon", now)).toThrow("--expires wants");
  });
});

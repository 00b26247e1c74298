import { describe, expect, it } from "vitest";
import {
  decideAccess,
  describePrincipal,
  roleFromAppRoles,
  type Access,
  type OperatorRole,
  type Principal,
} from "../../shared/domain/access";

const mine = "prj_01aaaaaaaaaaaaaaaaaaaaaaaa";
const theirs = "prj_01bbbbbbbbbbbbbbbbbbbbbbbb";
const key = (role: OperatorRole): Principal => ({
  kind: "role",
  role,
  projectId: mine,
  via: { operatorKeyId: "ok_x" },
});
const everyProject = (role: OperatorRole): Principal => ({ kind: "role", role, via: { subject: "user" } });
const accesses: Access[] = ["read", "operate", "manageKeys", "admin"];

describe("who may call an operator route", () => {
  it("lets the administrator do everything, in every project", () => {
    for (const access of accesses) expect(decideAccess({ kind: "administrator" }, access, theirs)).toBe("allow");
  });

  it("answers another project's ids as not found for a project's key of any role, whatever the access", () => {
    for (const role of ["Reader", "Contributor", "Owner"] as const)
      for (const access of accesses) expect(decideAccess(key(role), access, theirs)).toBe("notFound");
  });

  it("grants a project's key by its role: Reader reads, Contributor operates, Owner manages keys", () => {
    const table = (["Reader", "Contributor", "Owner"] as const).map((role) =>
      accesses.map((access) => decideAccess(key(role), access, mine)),
    );
    expect(table).toEqual([
      ["allow", "forbidden", "forbidden", "forbidden"],
      ["allow", "allow", "forbidden", "forbidden"],
      ["allow", "allow", "allow", "forbidden"],
    ]);
  });

  it("never lets a project's key create a project, and lets it list (its own) projects", () => {
    expect(decideAccess(key("Owner"), "admin")).toBe("forbidden");
    expect(decideAccess(key("Reader"), "read")).toBe("allow");
  });

  it("gives an Entra ID app role the same rights over every project; an Owner of all may create projects", () => {
    expect(decideAccess(everyProject("Reader"), "read", theirs)).toBe("allow");
    expect(decideAccess(everyProject("Reader"), "operate", theirs)).toBe("forbidden");
    expect(decideAccess(everyProject("Contributor"), "operate", theirs)).toBe("allow");
    expect(decideAccess(everyProject("Contributor"), "manageKeys", theirs)).toBe("forbidden");
    expect(decideAccess(everyProject("Contributor"), "admin")).toBe("forbidden");
    expect(decideAccess(everyProject("Owner"), "manageKeys", theirs)).toBe("allow");
    expect(decideAccess(everyProject("Owner"), "admin")).toBe("allow");
  });

  it("reads the highest Ferry role from a token's app roles and ignores others", () => {
    expect(roleFromAppRoles(["Ferry.Reader", "Ferry.Owner"])).toBe("Owner");
    expect(roleFromAppRoles(["Other.Owner", "Ferry.Contributor"])).toBe("Contributor");
    expect(roleFromAppRoles(["Owner", "ferry.owner"])).toBeUndefined();
  });

  it("tells a caller who it is", () => {
    expect(describePrincipal({ kind: "administrator" })).toEqual({ role: "Administrator" });
    expect(describePrincipal(key("Reader"))).toEqual({ role: "Reader", projectId: mine });
    expect(describePrincipal(everyProject("Owner"))).toEqual({ role: "Owner" });
  });
});

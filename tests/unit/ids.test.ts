import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { idPatterns, idPrefixes, isDiskId, isId, newId, parseId, type IdKind } from "../../shared/domain/ids";

const fixedBytes = (value: number) => (size: number) => new Uint8Array(size).fill(value);
const now = new Date("2025-01-01T00:00:00Z");

describe("ids", () => {
  it("makes prefix_ plus 26 lowercase base32 characters", () => {
    const id = newId("job", now, fixedBytes(0));
    expect(id).toBe("job_01jgfjjz00" + "0".repeat(16));
    expect(isId("job", id)).toBe(true);
  });

  it("is deterministic for the same time and bytes, and different bytes give different ids", () => {
    expect(newId("item", now, fixedBytes(7))).toBe(newId("item", now, fixedBytes(7)));
    expect(newId("item", now, fixedBytes(7))).not.toBe(newId("item", now, fixedBytes(8)));
  });

  it("sorts by creation time", () => {
    const earlier = newId("job", now, fixedBytes(255));
    const later = newId("job", new Date(now.getTime() + 1), fixedBytes(0));
    expect(earlier < later).toBe(true);
  });

  it("validates every kind with its own prefix only", () => {
    for (const kind of Object.keys(idPrefixes) as IdKind[]) {
      const id = newId(kind, now, randomBytes);
      expect(idPatterns[kind].test(id)).toBe(true);
      expect(isId(kind === "job" ? "item" : "job", id)).toBe(false);
    }
  });

  it("refuses ids that could carry path, quote or OData syntax", () => {
    const good = newId("project", now, fixedBytes(1));
    for (const bad of [
      `${good}/x`,
      `${good}'`,
      `prj_' or 1 eq 1`,
      good.toUpperCase(),
      `${good} `,
      "prj_",
      `${good.slice(0, -1)}u`,
      `${good.slice(0, -1)}`,
    ]) {
      expect(isId("project", bad)).toBe(false);
    }
    expect(isId("project", 42)).toBe(false);
  });

  it("answers NotFound for a malformed id, as for an unknown one", () => {
    const result = parseId("project", "../etc/passwd");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.httpStatus).toBe(404);
  });

  it("accepts agent disk ids but never separators or traversal", () => {
    expect(isDiskId("disk0")).toBe(true);
    expect(isDiskId("nvme0n1")).toBe(true);
    for (const bad of ["", "a/b", "..", "a..b", "-x", "a'b", "x".repeat(65)]) expect(isDiskId(bad)).toBe(false);
  });
});

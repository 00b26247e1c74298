import { describe, expect, it } from "vitest";
import { parseRangeHeader, resolveRange } from "../../shared/domain/byteRange";

const size = 1000;
const resolve = (header: string) => {
  const request = parseRangeHeader(header);
  return request === undefined ? "whole" : resolveRange(request, size);
};

describe("byte ranges", () => {
  it("selects a closed, an open-ended and a suffix range", () => {
    expect(resolve("bytes=0-99")).toEqual({ ok: true, value: { start: 0, end: 99 } });
    expect(resolve("bytes=900-")).toEqual({ ok: true, value: { start: 900, end: 999 } });
    expect(resolve("bytes=-10")).toEqual({ ok: true, value: { start: 990, end: 999 } });
  });

  it("clips a range that runs past the end, and a suffix longer than the resource", () => {
    expect(resolve("bytes=990-5000")).toEqual({ ok: true, value: { start: 990, end: 999 } });
    expect(resolve("bytes=-5000")).toEqual({ ok: true, value: { start: 0, end: 999 } });
  });

  it("refuses a range that starts at or past the end, or an empty suffix, as not satisfiable", () => {
    for (const header of ["bytes=1000-", "bytes=5000-6000", "bytes=-0"]) {
      const result = resolve(header);
      expect(result !== "whole" && !result.ok && result.error.httpStatus).toBe(416);
    }
  });

  it("ignores what it does not serve: other units, several ranges, reversed or malformed ones", () => {
    for (const header of ["items=0-1", "bytes=0-1,5-6", "bytes=9-2", "bytes=-", "bytes=a-b", ""])
      expect(resolve(header)).toBe("whole");
    expect(parseRangeHeader(null)).toBeUndefined();
  });
});

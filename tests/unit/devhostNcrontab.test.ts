import { describe, expect, it } from "vitest";
import { nextOccurrence, parseSchedule } from "../../devhost/timers/ncrontab";

const next = (expression: string, after: string) =>
  nextOccurrence(parseSchedule(expression), new Date(after)).toISOString();

describe("NCRONTAB schedules", () => {
  it("fires every second with a wildcard seconds field, strictly after the given time", () => {
    expect(next("* * * * * *", "2026-01-01T00:00:00.000Z")).toBe("2026-01-01T00:00:01.000Z");
    expect(next("* * * * * *", "2026-01-01T00:00:00.400Z")).toBe("2026-01-01T00:00:01.000Z");
  });

  it("supports steps, ranges and lists", () => {
    expect(next("*/15 * * * * *", "2026-01-01T00:00:16Z")).toBe("2026-01-01T00:00:30.000Z");
    expect(next("0 5-7 * * * *", "2026-01-01T00:07:00Z")).toBe("2026-01-01T01:05:00.000Z");
    expect(next("0 0 9,17 * * *", "2026-01-01T09:00:00Z")).toBe("2026-01-01T17:00:00.000Z");
  });

  it("reads month and weekday names, with 7 as Sunday", () => {
    expect(next("0 0 0 * * sun", "2026-01-01T00:00:00Z")).toBe("2026-01-04T00:00:00.000Z");
    expect(next("0 0 0 * * 7", "2026-01-01T00:00:00Z")).toBe("2026-01-04T00:00:00.000Z");
    expect(next("0 0 0 1 mar *", "2026-01-01T00:00:00Z")).toBe("2026-03-01T00:00:00.000Z");
  });

  it("fires on either the day of month or the weekday when both are restricted", () => {
    expect(next("0 0 0 15 * mon", "2026-01-01T00:00:00Z")).toBe("2026-01-05T00:00:00.000Z");
  });

  it("finds a leap day years ahead", () => {
    expect(next("0 0 0 29 2 *", "2026-03-01T00:00:00Z")).toBe("2028-02-29T00:00:00.000Z");
  });

  it("refuses five-field and out-of-range schedules with the expression in the message", () => {
    expect(() => parseSchedule("* * * * *")).toThrow(/must have six fields/);
    expect(() => parseSchedule("60 * * * * *")).toThrow(/"60" is out of range 0-59/);
    expect(() => parseSchedule("*/0 * * * * *")).toThrow(/bad step/);
  });
});

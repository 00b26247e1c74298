import { describe, expect, it } from "vitest";
import { pointTime } from "../../shared/domain/pointTime";

const receivedAt = new Date("2026-03-01T12:00:00.000Z");

describe("the time a recovery point records", () => {
  it("is the agent's source time when that is before the server received the cycle", () => {
    expect(pointTime("2026-03-01T11:58:30.250Z", receivedAt)).toEqual({ ok: true, value: "2026-03-01T11:58:30.250Z" });
  });

  it("is when the server received the cycle when the agent's clock runs ahead within the signature window", () => {
    expect(pointTime("2026-03-01T12:04:59.000Z", receivedAt)).toEqual({ ok: true, value: receivedAt.toISOString() });
    expect(pointTime("2026-03-01T12:05:00.000Z", receivedAt)).toEqual({ ok: true, value: receivedAt.toISOString() });
  });

  it("refuses a source time further ahead than the window with InvalidSourceTime", () => {
    for (const sourceTime of ["2026-03-01T12:05:00.001Z", "2099-01-01T00:00:00Z"]) {
      const result = pointTime(sourceTime, receivedAt);
      expect(result.ok).toBe(false);
      if (!result.ok) expect([result.error.httpStatus, result.error.code]).toEqual([400, "InvalidSourceTime"]);
    }
  });
});

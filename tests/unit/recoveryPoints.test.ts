import { describe, expect, it } from "vitest";
import {
  checkRecoveryPointChoice,
  chooseRecoveryPoint,
  pinPoint,
  pointsToPrune,
  unpinPoint,
  type RecoveryPoint,
  type RecoveryPointType,
} from "../../shared/domain/recoveryPoints";

function point(
  id: string,
  time: string,
  type: RecoveryPointType = "CrashConsistent",
  pinnedBy: string[] = [],
): RecoveryPoint {
  return { id, time, type, disks: [{ diskId: "disk0", sizeBytes: 1 << 20 }], pinnedBy };
}

const points = [
  point("rp_a", "2025-01-01T10:00:00Z", "ApplicationConsistent"),
  point("rp_b", "2025-01-01T10:05:00Z", "CrashConsistent"),
  point("rp_c", "2025-01-01T10:10:00Z", "Inconsistent"),
];

function chosenId(choice: string, from: readonly RecoveryPoint[] = points): string | undefined {
  const result = chooseRecoveryPoint(from, choice);
  if (!result.ok) throw result.error;
  return result.value.kind === "Existing" ? result.value.point.id : undefined;
}

describe("recovery point choice", () => {
  it("asks to capture a new point for Latest, as Site Recovery processes pending data first", () => {
    expect(chooseRecoveryPoint(points, "Latest")).toEqual({ ok: true, value: { kind: "CaptureLatest" } });
  });

  it("takes the newest point of any type for LatestProcessed", () => {
    expect(chosenId("LatestProcessed")).toBe("rp_c");
  });

  it("takes the point the server recorded last as newest, whatever source time its agent claimed", () => {
    const received = (p: RecoveryPoint, at: string): RecoveryPoint => ({ ...p, receivedAt: at });
    const recorded = [
      received(points[2]!, "2025-01-01T10:10:01Z"),
      // Cut later, from later batches, by an agent whose clock went back.
      received(point("rp_d", "2025-01-01T09:00:00Z"), "2025-01-01T10:15:01Z"),
    ];
    expect(chosenId("LatestProcessed", recorded)).toBe("rp_d");
    expect(chosenId("LatestCrashConsistent", recorded)).toBe("rp_d");
  });

  it("never offers an inconsistent point as crash-consistent", () => {
    expect(chosenId("LatestCrashConsistent")).toBe("rp_b");
  });

  it("counts an app-consistent point as crash-consistent", () => {
    expect(chosenId("LatestCrashConsistent", [points[0]!, points[2]!])).toBe("rp_a");
  });

  it("takes the newest app-consistent point", () => {
    expect(chosenId("LatestApplicationConsistent")).toBe("rp_a");
  });

  it("finds a point by id", () => {
    expect(chosenId("rp_b")).toBe("rp_b");
  });

  it("answers NotFound for an unknown id", () => {
    const result = chooseRecoveryPoint(points, "rp_zzz");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: "NotFound", httpStatus: 404 });
  });

  it("explains when no point of the asked type exists", () => {
    const result = chooseRecoveryPoint([points[1]!], "LatestApplicationConsistent");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("NoRecoveryPoint");
      expect(result.error.message).toMatch(/no application-consistent recovery point/);
    }
    expect(chooseRecoveryPoint([], "LatestProcessed").ok).toBe(false);
  });

  it("takes the newest processed point for LatestProcessed, or the newest while none is processed", () => {
    const waiting = { ...points[2]!, processed: false };
    expect(chosenId("LatestProcessed", [points[0]!, points[1]!, waiting])).toBe("rp_b");
    expect(chosenId("LatestProcessed", [{ ...points[0]!, processed: false }, waiting])).toBe("rp_c");
  });

  it("breaks equal times by the time-ordered id", () => {
    const twins = [point("rp_1", "2025-01-01T10:00:00Z"), point("rp_2", "2025-01-01T10:00:00Z")];
    expect(chosenId("LatestProcessed", twins)).toBe("rp_2");
  });
});

describe("retention", () => {
  const now = new Date("2025-01-02T12:00:00Z");
  const history = [
    point("rp_old1", "2025-01-01T09:00:00Z"),
    point("rp_old2", "2025-01-01T10:00:00Z", "CrashConsistent", ["job_test"]),
    point("rp_edge", "2025-01-01T12:00:00Z"),
    point("rp_new", "2025-01-02T11:55:00Z"),
  ];

  it("prunes points older than the window but never a pinned one", () => {
    expect(pointsToPrune(history, { now, retentionHours: 24 }).map((p) => p.id)).toEqual(["rp_old1"]);
  });

  it("keeps a point exactly at the edge of the window", () => {
    expect(pointsToPrune(history, { now, retentionHours: 24 }).map((p) => p.id)).not.toContain("rp_edge");
  });

  it("never prunes the newest point, even when it is past the window", () => {
    expect(
      pointsToPrune(history, { now: new Date("2025-03-01T00:00:00Z"), retentionHours: 1 }).map((p) => p.id),
    ).toEqual(["rp_old1", "rp_edge"]);
    expect(pointsToPrune(history, { now, retentionHours: 0 }).map((p) => p.id)).toEqual(["rp_old1", "rp_edge"]);
  });

  it("keeps the newest processed point too while newer ones still wait for apply", () => {
    const waiting = { ...history[3]!, processed: false };
    const kept = pointsToPrune([...history.slice(0, 3), waiting], {
      now: new Date("2025-03-01T00:00:00Z"),
      retentionHours: 1,
    }).map((p) => p.id);
    expect(kept).toEqual(["rp_old1"]);
  });

  it("pins idempotently and prunes a point once its last pin is gone", () => {
    const pinned = pinPoint(pinPoint(history[0]!, "job_a"), "job_a");
    expect(pinned.pinnedBy).toEqual(["job_a"]);
    expect(pointsToPrune([pinned, history[3]!], { now, retentionHours: 1 })).toEqual([]);
    const released = unpinPoint(pinned, "job_a");
    expect(pointsToPrune([released, history[3]!], { now, retentionHours: 1 }).map((p) => p.id)).toEqual(["rp_old1"]);
  });
});

describe("checking a recovery-point choice when it is asked for", () => {
  const now = new Date("2025-01-02T12:00:00Z");
  const retention = { now, retentionHours: 24 };
  const history = [
    point("rp_app_old", "2025-01-01T08:00:00Z", "ApplicationConsistent"),
    point("rp_crash_old", "2025-01-01T09:00:00Z", "CrashConsistent", ["job_test"]),
    point("rp_new", "2025-01-02T11:55:00Z", "Inconsistent"),
  ];

  function code(choice: string, from: readonly RecoveryPoint[] = history): string | undefined {
    const result = checkRecoveryPointChoice(from, choice, retention);
    return result.ok ? undefined : result.error.code;
  }

  it("accepts a point the item has, and every named choice it can serve", () => {
    expect(code("rp_new")).toBeUndefined();
    expect(code("Latest")).toBeUndefined();
    expect(code("LatestProcessed")).toBeUndefined();
    expect(code("LatestCrashConsistent")).toBeUndefined(); // pinned, so retention keeps it
  });

  it("answers NotFound for an id the item does not have", () => {
    expect(code("rp_elsewhere")).toBe("NotFound");
  });

  it("refuses a point past retention that retention is pruning, saying so", () => {
    const result = checkRecoveryPointChoice(history, "rp_app_old", retention);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toMatchObject({
        code: "NoRecoveryPoint",
        httpStatus: 409,
        message: expect.stringMatching(/being pruned/),
      });
  });

  it("does not serve a named choice from a point being pruned", () => {
    expect(code("LatestApplicationConsistent")).toBe("NoRecoveryPoint");
    expect(
      code("LatestApplicationConsistent", [
        point("rp_app", "2025-01-02T11:00:00Z", "ApplicationConsistent"),
        ...history,
      ]),
    ).toBeUndefined();
  });

  it("refuses LatestApplicationConsistent for an item without an app-consistent point", () => {
    expect(code("LatestApplicationConsistent", [history[2]!])).toBe("NoRecoveryPoint");
  });
});

import { describe, expect, it } from "vitest";
import { isFerryError } from "../../shared/domain/errors";
import { createJob } from "../../shared/domain/jobs";
import { columns } from "../../shared/storage/columns";

const disk = {
  diskId: "disk0",
  sizeBytes: 4096,
  isBoot: true,
  include: true,
  diskType: "Premium_LRS" as const,
  bytesReplicated: 1024,
  uploadBytesPerSecond: 10,
};

const thrown = (read: () => unknown): unknown => {
  try {
    read();
  } catch (error) {
    return error;
  }
  throw new Error("the read did not throw");
};

describe("JSON columns of table rows", () => {
  it("read back what was written", () => {
    const job = createJob({ id: "job-1", operation: "Migrate", itemId: "item-1", now: new Date(0) });
    expect(columns.jobBody.parse(columns.jobBody.serialize(job))).toEqual(job);
    expect(columns.itemDisks.parse(columns.itemDisks.serialize([disk]))).toEqual([disk]);
    const marks = [{ s: 3, point: "rp-1", at: "2025-01-01T00:00:00.000Z" }];
    expect(columns.cursorMarks.parse(columns.cursorMarks.serialize(marks))).toEqual(marks);
    const problems = [{ code: "AgentStateDiskFull" as const, message: "full", since: "x", replicationStopped: true }];
    expect(columns.itemAgentProblems.parse(columns.itemAgentProblems.serialize(problems))).toEqual(problems);
  });

  it("refuse a stored value of the wrong shape with an internal error naming its table and column", () => {
    const error = thrown(() => columns.itemDisks.parse(JSON.stringify([{ ...disk, diskType: "Ultra" }])));
    expect(error).toBeInstanceOf(Error);
    expect(isFerryError(error), "a broken row is the server's fault, never a 4xx").toBe(false);
    expect((error as Error).message).toMatch(/Table FerryItems, column disks: .*schema/);
    expect((error as Error).message).toContain("diskType");
  });

  it("refuse stored text that is not JSON, naming its table and column", () => {
    const error = thrown(() => columns.cursorAcks.parse("[{"));
    expect((error as Error).message).toBe("Table FerryDiskCursors, column acks: the stored value is not JSON.");
  });

  it("read the agent's figures from rows that kept the whole heartbeat", () => {
    const figures = { bytesSent: 1, bytesPerSecond: 2, backlogBytes: 3 };
    const older = JSON.stringify({ figures, resyncNeeded: [{ diskId: "disk0", reason: "lost", since: "x" }] });
    expect(columns.itemAgentFigures.parse(older).figures).toEqual(figures);
  });
});

import { describe, expect, it } from "vitest";
import type { DiskJournal } from "../../agent/run/journal";
import type { DiskInstruction } from "../../agent/run/protocol";
import { copying, reconcileDisk } from "../../agent/run/reconcile";

const journal = (overrides: Partial<DiskJournal> = {}): DiskJournal => ({
  epoch: 1,
  nextSequence: 10,
  mode: "Initial",
  copyOffset: 4096 * 100,
  copyComplete: false,
  ...overrides,
});
const instruction = (overrides: Partial<DiskInstruction> = {}): DiskInstruction => ({
  diskId: "disk0",
  sizeBytes: 1 << 30,
  nextSequence: 10,
  mode: "Initial",
  ...overrides,
});

describe("reconciling the journal with the server's instruction", () => {
  it("continues an initial copy from its acknowledged offset when both agree", () => {
    const result = reconcileDisk(journal(), instruction(), 1);
    expect(result).toMatchObject({ resetMap: false, disk: { copyOffset: 409600, nextSequence: 10 } });
    expect(copying(result.disk)).toBe(true);
  });

  it("skips ahead, keeping the map, when the server holds batches the journal missed", () => {
    const result = reconcileDisk(journal(), instruction({ nextSequence: 12 }), 1);
    expect(result).toMatchObject({ resetMap: false, disk: { nextSequence: 12, copyOffset: 409600 } });
    expect(result.note).toMatch(/skipping ahead/);
  });

  it("distrusts everything when the server expects a lower sequence than the journal", () => {
    const result = reconcileDisk(
      journal({ mode: "Delta", copyComplete: true }),
      instruction({ nextSequence: 3, mode: "Delta" }),
      1,
    );
    expect(result).toMatchObject({ resetMap: true, disk: { nextSequence: 3, copyOffset: 0 } });
    expect(result.doubt).toMatch(/acknowledged batches were lost/);
  });

  it("starts over for a new epoch or a new resync, but continues a resync under way", () => {
    expect(reconcileDisk(journal(), instruction({ nextSequence: 0 }), 2)).toMatchObject({
      resetMap: true,
      disk: { epoch: 2, copyOffset: 0 },
    });
    const started = reconcileDisk(journal({ mode: "Delta", copyComplete: true }), instruction({ mode: "Resync" }), 1);
    expect(started).toMatchObject({ resetMap: true, disk: { mode: "Resync", copyOffset: 0, copyComplete: false } });
    const continued = reconcileDisk(journal({ mode: "Resync" }), instruction({ mode: "Resync" }), 1);
    expect(continued).toMatchObject({ resetMap: false, disk: { copyOffset: 409600 } });
  });

  it("starts with a fresh map when there is no journal entry", () => {
    expect(reconcileDisk(undefined, instruction({ nextSequence: 1 }), 1)).toMatchObject({
      resetMap: true,
      disk: { nextSequence: 1, copyOffset: 0 },
    });
  });
});

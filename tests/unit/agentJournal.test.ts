import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { JournalStore, emptyJournal, journalFile, readJournal } from "../../agent/run/journal";

describe("the agent's journal", () => {
  it("reads back what was saved, leaving no temporary file", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ferry-journal-"));
    const store = new JournalStore(dir, emptyJournal());
    store.update((journal) => {
      journal.disks.disk0 = { epoch: 3, nextSequence: 7, mode: "Initial", copyOffset: 8192, copyComplete: false };
    });
    store.updateDisk("disk0", (disk) => {
      disk.lastAck = { sequence: 6, at: "2026-01-01T00:00:00.000Z" };
    });
    expect(readJournal(dir)).toEqual({ journal: store.value });
    expect(readdirSync(dir)).toEqual(["journal.json"]);
  });

  it("says it is missing or unreadable instead of guessing", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ferry-journal-"));
    expect(readJournal(dir).problem).toBe("missing");
    writeFileSync(journalFile(dir), '{"version":1,"disks":{"disk0":{"epoch":"x"}}}');
    expect(readJournal(dir)).toMatchObject({ journal: emptyJournal(), problem: expect.stringMatching(/^unreadable/) });
    writeFileSync(journalFile(dir), "{ torn");
    expect(readJournal(dir).problem).toMatch(/^unreadable/);
  });
});

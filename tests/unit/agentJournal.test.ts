import { existsSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
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

  it.skipIf(!existsSync("/dev/full"))(
    "keeps the saved journal and leaves no temporary file when the disk is full",
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), "ferry-journal-"));
      const store = new JournalStore(dir, emptyJournal());
      store.update((journal) => {
        journal.disks.disk0 = { epoch: 1, nextSequence: 4, mode: "Initial", copyOffset: 4096, copyComplete: false };
      });
      const saved = store.value;
      // Every write to /dev/full fails with ENOSPC, as on a full disk.
      symlinkSync("/dev/full", `${journalFile(dir)}.tmp`);
      expect(() =>
        store.updateDisk("disk0", (disk) => {
          disk.nextSequence = 5;
        }),
      ).toThrow(expect.objectContaining({ code: "ENOSPC" }));
      expect(store.value).toEqual(saved);
      expect(readJournal(dir)).toEqual({ journal: saved });
      expect(readdirSync(dir)).toEqual(["journal.json"]);
    },
  );
});

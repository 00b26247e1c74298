import { describe, expect, it } from "vitest";
import { judgePrint, NEW_BOOT_QUIET_MS, type MachinePrint, type PrintRecord } from "../../shared/domain/machinePrints";

const t0 = new Date("2026-03-01T12:00:00Z");
const later = (ms: number) => new Date(t0.getTime() + ms);
const source: MachinePrint = { host: "src", id: "a".repeat(32), boot: "1".repeat(32) };
const first = judgePrint(undefined, source, t0).record as PrintRecord;

/** Judges a run of requests in order, carrying the record along; returns each verdict. */
function run(record: PrintRecord, requests: [MachinePrint, number][]) {
  let current = record;
  return requests.map(([print, at]) => {
    const verdict = judgePrint(current, print, later(at));
    current = verdict.record ?? current;
    return verdict;
  });
}

describe("telling a machine from a copy of it", () => {
  it("takes the first print heard as the machine's, and the same print again without writing anything", () => {
    expect(first).toEqual({ machine: source, earlierBoots: [] });
    expect(judgePrint(first, source, later(1000))).toEqual({ accepted: true, record: undefined });
  });

  it("refuses another identity with the key as a clone, recording it once a minute at most", () => {
    const clone = { host: "copy", id: "b".repeat(32), boot: "2".repeat(32) };
    const [seen, again, minuteLater, original] = run(first, [
      [clone, 0],
      [clone, 10_000],
      [clone, 70_000],
      [source, 71_000],
    ]);
    expect(seen).toMatchObject({ accepted: false, clone });
    expect(seen?.record?.clone).toMatchObject({ print: clone, firstSeenAt: t0.toISOString() });
    expect(again?.accepted).toBe(false);
    expect(again?.record).toBe(seen?.record);
    expect(minuteLater?.record?.clone?.lastSeenAt).toBe(later(70_000).toISOString());
    expect(original?.accepted).toBe(true);
  });

  it("tells machines without an identity hash apart by hostname, and keeps a renamed one", () => {
    const bare = judgePrint(undefined, { host: "a" }, t0).record as PrintRecord;
    expect(judgePrint(bare, { host: "b" }, t0).accepted).toBe(false);
    expect(judgePrint(first, { ...source, host: "renamed" }, t0)).toMatchObject({
      accepted: true,
      record: { machine: { host: "renamed" } },
    });
  });

  it("takes a new boot as the machine restarted once the quiet period has passed", () => {
    const rebooted = { ...source, boot: "3".repeat(32) };
    const [held, stillHeld, taken] = run(first, [
      [rebooted, 0],
      [rebooted, NEW_BOOT_QUIET_MS - 1000],
      [rebooted, NEW_BOOT_QUIET_MS],
    ]);
    expect(held).toMatchObject({ accepted: false, holdSeconds: NEW_BOOT_QUIET_MS / 1000 });
    expect(stillHeld).toMatchObject({ accepted: false, holdSeconds: 1 });
    expect(taken?.accepted).toBe(true);
  });

  it("refuses a whole-VM copy (same identity, another boot) when the earlier boot speaks within the quiet period", () => {
    const copy = { ...source, boot: "4".repeat(32) };
    const [held, original, copyAgain] = run(first, [
      [copy, 0],
      [source, 5000],
      [copy, NEW_BOOT_QUIET_MS + 1000],
    ]);
    expect(held?.accepted).toBe(false);
    expect(original).toMatchObject({ accepted: true, clone: copy });
    expect(copyAgain).toMatchObject({ accepted: false, clone: copy });
    expect(copyAgain?.holdSeconds).toBeUndefined();
  });

  it("refuses an earlier boot that comes back after the new one was taken (a VM resumed from a saved state)", () => {
    const rebooted = { ...source, boot: "5".repeat(32) };
    const [, taken, resumed, machine] = run(first, [
      [rebooted, 0],
      [rebooted, NEW_BOOT_QUIET_MS],
      [source, NEW_BOOT_QUIET_MS + 5000],
      [rebooted, NEW_BOOT_QUIET_MS + 6000],
    ]);
    expect(taken?.accepted).toBe(true);
    expect(resumed).toMatchObject({ accepted: false, clone: source });
    expect(machine?.accepted).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { Slots } from "../../shared/replication/ingest/bodySlots";

const later = () => {
  let done!: () => void;
  const promise = new Promise<void>((resolve) => (done = resolve));
  return { promise, done };
};

describe("batch body slots", () => {
  it("run at most their limit at once, and start the waiting ones in the order they came", async () => {
    const slots = new Slots(2);
    const gates = [later(), later(), later(), later()];
    const started: number[] = [];
    const works = gates.map((gate, i) =>
      slots.run(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    expect(slots.load).toEqual({ running: 2, waiting: 2 });
    gates[1]!.done();
    await works[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.done();
    expect(await Promise.all(works)).toEqual([0, 1, 2, 3]);
    expect(slots.load).toEqual({ running: 0, waiting: 0 });
  });

  it("free the slot of a work that failed", async () => {
    const slots = new Slots(1);
    await expect(slots.run(() => Promise.reject(new Error("refused")))).rejects.toThrow("refused");
    expect(await slots.run(async () => "next")).toBe("next");
  });
});

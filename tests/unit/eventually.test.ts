import { describe, expect, it } from "vitest";
import { eventually } from "../support/eventually";

describe("eventually (the tests' one polling helper)", () => {
  it("returns the first value the condition accepts", async () => {
    let reads = 0;
    const value = await eventually(
      () => ++reads,
      (n) => n === 3,
      { intervalMs: 1 },
    );
    expect([value, reads]).toEqual([3, 3]);
  });

  it("gives up after the timeout, naming what it waited for and the last value", async () => {
    await expect(
      eventually(
        () => ({ state: "Running" }),
        () => false,
        { timeoutMs: 30, intervalMs: 5, what: "job 1" },
      ),
    ).rejects.toThrow('Gave up after 30 ms waiting for job 1; last value: {"state":"Running"}');
  });

  it("ends the wait with the error of a read that throws", async () => {
    const read = () => {
      throw new Error("the host exited");
    };
    await expect(eventually(read, () => true)).rejects.toThrow("the host exited");
  });
});

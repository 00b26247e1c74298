import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Logger } from "../../agent/run/log";
import { MIN_BATCH_BYTES, SpaceBudget, isDiskFull } from "../../agent/run/spaceBudget";

const MiB = 1024 * 1024;
const configured = { maxDataBytes: 4 * MiB, maxExtents: 65_536, maxZeroBytes: 4 * 1024 * MiB };
const full = (code = "ENOSPC") => Object.assign(new Error(`${code}: no space left on device, write`), { code });
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A budget on a folder with plenty of room, as under a quota the free space does not show. */
function budget(): SpaceBudget {
  return new SpaceBudget(configured, mkdtempSync(path.join(tmpdir(), "ferry-space-")), quiet);
}

const bound = (space: SpaceBudget) => space.caps().maxDataBytes;

describe("the batch size the agent's state directory has room for", () => {
  it("halves the batch on each full-disk failure down to 256 KiB, then says replication stopped", async () => {
    const space = budget();
    expect([bound(space), space.problems()]).toEqual([4 * MiB, []]);
    await space.failed(full());
    const first = space.problems()[0];
    expect(first).toMatchObject({ code: "AgentStateDiskFull", replicationStopped: false });
    expect(first?.message).toMatch(/state directory .*ENOSPC\) with batches of 4\.0 MiB: sending batches of 2\.0 MiB/);
    for (const expected of [MiB, MiB / 2, MIN_BATCH_BYTES]) {
      await space.failed(full());
      expect([bound(space), space.stopped]).toEqual([expected, false]);
    }
    await space.failed(full("EDQUOT"));
    expect([bound(space), space.stopped]).toEqual([MIN_BATCH_BYTES, true]);
    expect(space.problems()[0]).toMatchObject({ since: first?.since, replicationStopped: true });
    expect(space.problems()[0]?.message).toMatch(/EDQUOT\) with batches of 256 KiB, the smallest/);
  });

  it("tries twice the size after batches that fit, later the more often that size failed, and clears when all fit", async () => {
    const space = budget();
    await space.failed(full());
    await space.failed(full());
    expect(bound(space)).toBe(MiB);
    await space.spooled(space.caps());
    expect(space.problems()[0]?.replicationStopped).toBe(false);
    await space.spooled(space.caps());
    expect(bound(space)).toBe(2 * MiB);
    await space.failed(full());
    // 2 MiB failed twice now: four batches of 1 MiB must fit before it is tried again.
    for (let i = 0; i < 3; i += 1) await space.spooled(space.caps());
    expect(bound(space)).toBe(MiB);
    await space.spooled(space.caps());
    expect(bound(space)).toBe(2 * MiB);
    await space.spooled({ ...space.caps(), maxDataBytes: MiB });
    expect(bound(space)).toBe(2 * MiB);
    await space.spooled(space.caps());
    await space.spooled(space.caps());
    expect(bound(space)).toBe(4 * MiB);
    expect(space.problems()).toHaveLength(1);
    await space.spooled(space.caps());
    expect(space.problems()).toEqual([]);
  });

  it("counts ENOSPC and EDQUOT as a full disk, and nothing else", () => {
    expect([full("ENOSPC"), full("EDQUOT")].map(isDiskFull)).toEqual([true, true]);
    expect([full("EACCES"), new Error("ENOSPC"), undefined].map(isDiskFull)).toEqual([false, false, false]);
  });
});

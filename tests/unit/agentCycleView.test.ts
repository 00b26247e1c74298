import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openCycleView, type ViewRequest } from "../../agent/run/cycleView";
import type { Logger } from "../../agent/run/log";

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function request(overrides: Partial<ViewRequest>): ViewRequest & { hookLog: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "ferry-view-"));
  const image = path.join(dir, "disk.img");
  writeFileSync(image, Buffer.alloc(8192, 7));
  // A directory path is never snapshotted: these tests exercise the no-snapshot rules everywhere.
  const disk = overrides.disks ? overrides.disks : [{ diskId: "disk0", path: dir }];
  return {
    disks: disk,
    live: false,
    wantApp: false,
    snapshotDir: dir,
    log: quiet,
    hookLog: path.join(dir, "hooks.log"),
    ...overrides,
  };
}

const hooksInto = (log: string, freeze = `echo freeze >> ${log}`) => ({ freeze, thaw: `echo thaw >> ${log}` });

describe("labelling a cycle's recovery point", () => {
  it("is Inconsistent without a snapshot or hooks", async () => {
    const view = await openCycleView(request({}));
    expect(view.type).toBe("Inconsistent");
    expect(view.how).toMatch(/no snapshot/);
  });

  it("is CrashConsistent for the final read of a source that was shut down, without snapshots or hooks", async () => {
    const view = await openCycleView(request({ quiesced: true }));
    expect(view.type).toBe("CrashConsistent");
    expect(view.how).toMatch(/shut down/);
  });

  it("stays Inconsistent for an initial copy even when the source is shut down", async () => {
    expect((await openCycleView(request({ quiesced: true, live: true }))).type).toBe("Inconsistent");
  });

  it("is CrashConsistent while hooks freeze the source, thawing on release", async () => {
    const base = request({});
    const view = await openCycleView({ ...base, hooks: hooksInto(base.hookLog) });
    expect(view.type).toBe("CrashConsistent");
    expect(readFileSync(base.hookLog, "utf8")).toBe("freeze\n");
    await view.release();
    expect(readFileSync(base.hookLog, "utf8")).toBe("freeze\nthaw\n");
  });

  it("is ApplicationConsistent when the app-consistent interval asks for the hooks", async () => {
    const base = request({ wantApp: true });
    expect((await openCycleView({ ...base, hooks: hooksInto(base.hookLog) })).type).toBe("ApplicationConsistent");
  });

  it("is Inconsistent when the freeze hook fails, and thaws at once", async () => {
    const base = request({});
    const view = await openCycleView({ ...base, hooks: hooksInto(base.hookLog, "exit 4") });
    expect(view.type).toBe("Inconsistent");
    expect(readFileSync(base.hookLog, "utf8")).toBe("thaw\n");
  });

  it("reads an initial copy live and never freezes for it", async () => {
    const base = request({ live: true, wantApp: true });
    const view = await openCycleView({ ...base, hooks: hooksInto(base.hookLog) });
    expect(view.type).toBe("Inconsistent");
    expect(existsSync(base.hookLog)).toBe(false);
  });
});

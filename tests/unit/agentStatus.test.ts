// `agent status` reads the state dir only: it answers at once for a 1 TiB disk with a 4 GiB digest
// map, and tells each disk's state, last ack, backlog and doubt.
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { afterAll, describe, expect, it } from "vitest";
import type { Journal } from "../../agent/run/journal";
import { writeState, type AgentState } from "../../agent/state";
import { statusReport } from "../../agent/status/statusReport";
import { statusText } from "../../agent/status/statusText";
import { removeTempDirs, tempDir } from "../support/agentCli";

afterAll(removeTempDirs);

const TiB = 1024 ** 4;
const MiB = 1024 ** 2;

/** A sparse file of `bytes`: as big as a real disk or map to any reader, free to make. */
function sparse(file: string, bytes: number): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "");
  fs.truncateSync(file, bytes);
  return file;
}

function registered(dir: string): AgentState {
  const state: AgentState = {
    server: "http://appliance:7071/api",
    machineId: "mch_web01",
    agentKey: "ak_mch_web01.secret",
    hostname: "web01",
    disks: [
      { id: "disk0", path: sparse(path.join(dir, "disk0.img"), TiB), sizeBytes: TiB, isBoot: true },
      { id: "disk1", path: sparse(path.join(dir, "disk1.img"), 64 * MiB), sizeBytes: 64 * MiB, isBoot: false },
      { id: "disk2", path: sparse(path.join(dir, "disk2.img"), MiB), sizeBytes: MiB, isBoot: false },
    ],
    registeredAt: "2026-03-01T10:00:00.000Z",
  };
  writeState(path.join(dir, "state"), state);
  return state;
}

const journal: Journal = {
  version: 1,
  disks: {
    disk0: {
      epoch: 1,
      nextSequence: 42,
      mode: "Delta",
      copyOffset: TiB,
      copyComplete: true,
      lastAck: { sequence: 41, at: "2026-03-01T12:00:00.000Z" },
    },
    disk1: {
      epoch: 2,
      nextSequence: 3,
      mode: "Resync",
      copyOffset: 16 * MiB,
      copyComplete: false,
      lastAck: { sequence: 2, at: "2026-03-01T12:00:01.000Z" },
      doubt: "the server expects sequence 1, below the journal's 3",
      doubtAt: "2026-03-01T11:59:00.000Z",
    },
  },
  lastCycle: {
    cycleId: "c1",
    recoveryPointId: "rp_1",
    type: "CrashConsistent",
    sourceTime: "2026-03-01T11:59:59.000Z",
    at: "2026-03-01T12:00:00.500Z",
  },
};

describe("agent status", () => {
  it("tells each disk's state, last acknowledged batch, backlog and doubt from the state dir", () => {
    const dir = tempDir();
    const state = registered(dir);
    fs.writeFileSync(path.join(dir, "state", "journal.json"), JSON.stringify(journal));
    sparse(path.join(dir, "state", "spool", "disk0-42.batch"), 3 * MiB);
    const report = statusReport(path.join(dir, "state"), state);
    expect(report.disks).toEqual([
      expect.objectContaining({
        diskId: "disk0",
        state: "replicating",
        lastAcknowledgedSequence: 41,
        backlogBytes: 3 * MiB,
      }),
      expect.objectContaining({
        diskId: "disk1",
        state: "resync",
        copiedBytes: 16 * MiB,
        backlogBytes: 48 * MiB,
        doubt: "the server expects sequence 1, below the journal's 3",
      }),
      expect.objectContaining({ diskId: "disk2", state: "not started", backlogBytes: MiB }),
    ]);
    expect(report.disks[0]).not.toHaveProperty("doubt");
    const text = statusText(report);
    expect(text).toContain("Machine     mch_web01 (web01), registered 2026-03-01T10:00:00.000Z");
    expect(text).toContain("Last cycle  CrashConsistent point rp_1 at 2026-03-01T12:00:00.500Z");
    expect(text).toMatch(/^disk0 +\S+disk0\.img +replicating +#41 at 2026-03-01T12:00:00\.000Z +3\.0 MiB +-$/m);
    expect(text).toMatch(/^disk1 +\S+ +resync 25\.0% +#2 at \S+ +48\.0 MiB +the server expects .* \(since \S+\)$/m);
    expect(text).not.toContain("secret");
  });

  it("answers in well under a second for a 1 TiB disk and a 4 GiB digest map, reading neither", () => {
    const dir = tempDir();
    const state = registered(dir);
    fs.writeFileSync(path.join(dir, "state", "journal.json"), JSON.stringify(journal));
    const files = [state.disks[0]!.path, sparse(path.join(dir, "state", "maps", "disk0.map"), 4 * 1024 ** 3)];
    // An access time before the file's mtime: any read moves it (relatime), so it tells what was read.
    for (const file of files) fs.utimesSync(file, new Date(0), fs.statSync(file).mtime);
    const started = performance.now();
    statusText(statusReport(path.join(dir, "state"), state));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(files.map((file) => fs.statSync(file).atimeMs)).toEqual([0, 0]);
    // The same check sees a read: this filesystem records access times.
    const probe = sparse(path.join(dir, "probe"), 4096);
    fs.utimesSync(probe, new Date(0), fs.statSync(probe).mtime);
    fs.readFileSync(probe);
    expect(fs.statSync(probe).atimeMs).toBeGreaterThan(0);
  });

  it("says replication has not started before the first run", () => {
    const dir = tempDir();
    const report = statusReport(path.join(dir, "state"), registered(dir));
    expect(report.journalProblem).toBe("missing");
    expect(statusText(report)).toContain("Replication not started: no cycle has run yet");
  });
});

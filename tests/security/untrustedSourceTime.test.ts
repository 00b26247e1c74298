// Threat: an agent's clock lies (or a cycle is replayed). The cycle's sourceTime is the agent's
// claim; the server holds it to its own clock: a time past the signature window is refused with
// 400 InvalidSourceTime and nothing changes, a point never records a time later than the server
// received it, and points are ordered by when the server recorded them — so no claimed time can
// move the item's last point or RPO backwards, nor make a failover take an older point.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { eventually } from "../support/eventually";
import { signedHeaders, startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";
import { SourceMachine, type LifecycleJob } from "../support/lifecycleKit";
import { StoredState } from "../support/storedState";

let ferry: RunningFerry;
let source: SourceMachine;
let stored: StoredState;

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"));
  source = await SourceMachine.seeded(ferry.api);
  stored = new StoredState(inject("storageConnectionString"));
});
afterAll(async () => {
  await ferry?.stop();
});

interface ItemTimes {
  lastRecoveryPointTime: string;
  rpoSeconds: number;
  health: string;
}

const item = () => ferry.api.expect<ItemTimes>(ferry.api.get(source.path), 200);
const rows = () => stored.itemRows(source.r.projectId, source.r.itemId);

/** The item's rows once apply has caught up, so that only the request under test could change them. */
async function settledRows() {
  return eventually(rows, (found) =>
    found.cursors.every((cursor) => cursor.appliedSequence === (cursor.nextSequence as number) - 1),
  );
}

function cycleRequest(body: object) {
  const path = `/agent/machines/${source.r.machineId}/items/${source.r.itemId}/cycles`;
  const bytes = Buffer.from(JSON.stringify(body));
  const headers = { ...signedHeaders(source.r.credentials, "POST", ferry.api.url(path), bytes) };
  headers["content-type"] = "application/json";
  return () =>
    ferry.api.request<{ recoveryPointId: string } & ApiError>("POST", path, {
      rawBody: bytes,
      headers,
      authorization: null,
    });
}

describe("a cycle's sourceTime", () => {
  it("is refused with InvalidSourceTime past the server's clock and the signature window, changing nothing", async () => {
    await source.changeAccepted();
    const before = await settledRows();
    for (const sourceTime of ["2099-01-01T00:00:00.000Z", new Date(Date.now() + 6 * 60_000).toISOString()]) {
      const reply = await cycleRequest(source.cycleBody("CrashConsistent", { sourceTime }))();
      expect([reply.status, reply.body.error?.code], reply.text).toEqual([400, "InvalidSourceTime"]);
      expect(reply.body.error.target).toBe("sourceTime");
    }
    expect(await rows()).toEqual(before);
  });

  it("a few minutes ahead is recorded as when the server received it: no point from the future, no negative RPO", async () => {
    const sentAt = Date.now();
    const ahead = new Date(sentAt + 4 * 60_000).toISOString();
    const reply = await cycleRequest(source.cycleBody("CrashConsistent", { sourceTime: ahead }))();
    expect(reply.status, reply.text).toBe(200);
    const answeredBy = Date.now();
    const point = (await stored.row("FerryRecoveryPoints", source.r.itemId, reply.body.recoveryPointId)) as {
      time: string;
      createdAt: string;
    };
    expect(Date.parse(point.time)).toBeGreaterThanOrEqual(sentAt);
    expect(Date.parse(point.time)).toBeLessThanOrEqual(Math.min(answeredBy, Date.parse(point.createdAt)));
    const times = await item();
    expect(times.lastRecoveryPointTime).toBe(point.time);
    expect(Date.parse(times.lastRecoveryPointTime)).toBeLessThanOrEqual(Date.now());
  });

  it("replayed is refused; old moves neither the last point nor RPO back, and LatestProcessed takes the newest data", async () => {
    await source.changeAccepted();
    const replayed = cycleRequest(source.cycleBody("CrashConsistent"));
    const first = await replayed();
    expect(first.status, first.text).toBe(200);
    const beforeReplay = await settledRows();
    const again = await replayed();
    expect([again.status, again.body.error.code]).toEqual([401, "ReplayedRequest"]);
    expect(await rows()).toEqual(beforeReplay);

    // New data, then a cycle claiming a time from hours ago (a clock stepped back, or a cycle's time reused).
    const last = await item();
    await source.changeAccepted();
    const sourceTime = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const old = await source.cycle("CrashConsistent", { sourceTime });
    const after = await item();
    expect(after.lastRecoveryPointTime).toBe(last.lastRecoveryPointTime);
    expect(after.rpoSeconds).toBeGreaterThanOrEqual(last.rpoSeconds);

    const points = await ferry.api.expect<{ value: { id: string }[] }>(
      ferry.api.get(`${source.path}/recovery-points`),
      200,
    );
    expect(points.value[0]?.id, "the newest point is the one recorded last").toBe(old.id);
    const job: LifecycleJob = await source.run("test-migrate", {
      network: "vnet-drill",
      recoveryPoint: "LatestProcessed",
    });
    expect(job.state).toBe("Succeeded");
    expect(job.tasks.map((task) => task.note).join("\n")).toContain(`Recovery point ${old.id}`);
    await source.run("test-migrate-cleanup");
  });
});

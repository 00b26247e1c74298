// Ferry's telemetry as an operator's collector receives it: the host started with
// FERRY_TELEMETRY=otlp exports to a real OTLP/HTTP receiver on loopback while the real agent
// replicates a small disk; the spans and metrics must tell what Ferry's own API tells.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { splitAgentKey } from "../../agent/signedClient";
import { readState } from "../../agent/state";
import { removeTempDirs, tempDir } from "../support/agentCli";
import {
  enrollWithHost,
  MiB,
  startAgent,
  writeRandomBlocks,
  writeSourceImage,
  type EnrolledSource,
  type RunningAgent,
} from "../support/agentRunKit";
import { AgentCalls, batchBytes } from "../support/dataPathSetup";
import { eventually } from "../support/eventually";
import { startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";
import { OtlpReceiver, type ReceivedPoint } from "../support/otlpReceiver";

const SIZE = 2 * MiB + 4096;
let receiver: OtlpReceiver;
let ferry: RunningFerry;
let agent: RunningAgent | undefined;
let source: EnrolledSource;
let image: string;

interface ItemView {
  migrationState: string;
  lastRecoveryPointTime?: string;
  agentFigures?: { bytesSent: number };
  disks: { diskId: string; bytesReplicated: number }[];
}

const total = (points: ReceivedPoint[]) => points.reduce((sum, p) => sum + (p.value ?? p.count ?? 0), 0);
const ofItem = () => receiver.spans.filter((s) => s.attributes["ferry.item.id"] === source.itemId);

beforeAll(async () => {
  receiver = await OtlpReceiver.start();
  ferry = await startFerry(inject("storageConnectionString"), {
    env: {
      FERRY_TELEMETRY: "otlp",
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
      OTEL_METRIC_EXPORT_INTERVAL: "300",
      OTEL_BSP_SCHEDULE_DELAY: "100",
      FERRY_CYCLE_INTERVAL_SECONDS: "1",
    },
  });
  const dir = tempDir("ferry-telemetry-");
  image = path.join(dir, "source.img");
  await writeSourceImage(image, SIZE, [[MiB, MiB + 64 * 1024]]);
  source = await enrollWithHost(ferry.api, ferry.host.origin, dir, image);
}, 60_000);

afterAll(async () => {
  await agent?.kill("SIGKILL");
  await ferry?.stop();
  await receiver?.close();
  removeTempDirs();
});

describe("telemetry exported over OTLP/HTTP while the agent replicates", () => {
  it("sends ingest spans and batch metrics whose bytes are what the agent sent", async () => {
    const api = ferry.api;
    agent = startAgent(source.stateDir);
    await eventually(
      () => api.expect<ItemView>(api.get(source.itemPath), 200),
      (item) => item.migrationState === "Replicating" && item.lastRecoveryPointTime !== undefined,
      { timeoutMs: 60_000, what: "the initial copy's point" },
    );
    // A delta cycle too: changed blocks staged, then applied behind the ack.
    const points = () => api.expect<{ value: unknown[] }>(api.get(`${source.itemPath}/recovery-points`), 200);
    const before = (await points()).value.length;
    await writeRandomBlocks(image, [3, 100, 400]);
    await eventually(points, (list) => list.value.length >= before + 2, { timeoutMs: 30_000, what: "a delta point" });

    // The agent's heartbeats tell Ferry what it sent; once it is quiet, the exports hold every batch.
    const settled = await eventually(
      async () => ({
        item: await api.expect<ItemView>(api.get(source.itemPath), 200),
        exported: total(receiver.latest("ferry.ingest.bytes")),
      }),
      ({ item, exported }) => exported > 0 && item.agentFigures?.bytesSent === exported,
      { timeoutMs: 20_000, intervalMs: 200, what: "ferry.ingest.bytes to reach the bytes the agent sent" },
    );
    await agent.kill("SIGTERM");
    const { item } = settled;
    const sent = settled.exported;

    const accepted = ofItem().filter((s) => s.name === "ferry.ingest.batch" && s.attributes["ferry.batch.bytes"]);
    expect(accepted.map((s) => s.attributes["ferry.batch.kind"])).toContain("seed");
    expect(accepted.map((s) => s.attributes["ferry.batch.kind"])).toContain("delta");
    expect(accepted.reduce((sum, s) => sum + Number(s.attributes["ferry.batch.bytes"]), 0)).toBe(sent);
    expect(accepted.every((s) => s.resource["service.name"] === "ferry" && s.scope === "ferry")).toBe(true);

    // Disk bytes covered are the grid's bytes replicated; one counted batch per accepted span.
    const replicated = item.disks.reduce((sum, d) => sum + d.bytesReplicated, 0);
    expect(total(receiver.latest("ferry.ingest.disk_bytes"))).toBe(replicated);
    expect(replicated).toBeGreaterThanOrEqual(SIZE);
    const batches = receiver.latest("ferry.ingest.batches").filter((p) => p.attributes["ferry.outcome"] === "accepted");
    expect(total(batches)).toBe(accepted.length);
    const durations = receiver.latest("ferry.ingest.duration");
    expect(durations.every((p) => p.unit === "s" && (p.sum ?? -1) >= 0 && (p.sum ?? 0) < 60 * (p.count ?? 0))).toBe(
      true,
    );
  }, 120_000);

  it("counts every recovery point cut and measures apply's lag behind the acks", async () => {
    const api = ferry.api;
    const listed = await api.expect<{ value: unknown[] }>(api.get(`${source.itemPath}/recovery-points`), 200);
    await eventually(
      async () => total(receiver.latest("ferry.points.cut")),
      (cut) => cut === listed.value.length,
      { timeoutMs: 10_000, what: `ferry.points.cut to count the ${listed.value.length} points` },
    );
    expect(receiver.latest("ferry.points.cut").map((p) => p.attributes["ferry.point.origin"])).toContain("cycle");
    expect(ofItem().filter((s) => s.name === "ferry.points.cycle").length).toBeGreaterThanOrEqual(listed.value.length);

    const lag = receiver.latest("ferry.apply.lag");
    expect(total(lag)).toBeGreaterThanOrEqual(1);
    expect(lag.every((p) => (p.sum ?? -1) >= 0 && (p.sum ?? 0) < 60 * (p.count ?? 0))).toBe(true);
    expect(receiver.latest("ferry.apply.backlog")[0]?.unit).toBe("By");
    expect(
      ofItem().some((s) => s.name === "ferry.apply.pass" && Number(s.attributes["ferry.apply.batches"]) >= 1),
    ).toBe(true);
  });

  it("counts a refused batch with its error code, and marks its span as failed", async () => {
    const credentials = splitAgentKey(readState(source.stateDir)!.agentKey);
    const batch = await batchBytes(credentials.machineId, "disk0", 7, 1, [{ kind: "zero", offset: 0, length: 4096 }]);
    const refused = await new AgentCalls(ferry.api, credentials).putBatch<ApiError>(
      source.itemId,
      "disk0",
      7,
      1,
      batch,
    );
    expect([refused.status, refused.body.error.code]).toEqual([409, "EpochMismatch"]);
    const isRefusal = (p: ReceivedPoint) =>
      p.attributes["ferry.outcome"] === "refused" && p.attributes["ferry.error.code"] === "EpochMismatch";
    await eventually(
      async () => total(receiver.latest("ferry.ingest.batches").filter(isRefusal)),
      (count) => count === 1,
      { timeoutMs: 10_000, what: "the refusal counted" },
    );
    const span = await eventually(
      async () => ofItem().find((s) => s.name === "ferry.ingest.batch" && s.attributes["ferry.error.code"]),
      (found) => found !== undefined,
      { timeoutMs: 10_000, what: "the refused batch's span" },
    );
    expect([span?.attributes["ferry.error.code"], span?.statusCode]).toEqual(["EpochMismatch", 2]);
    expect([...receiver.contentTypes]).toEqual(["application/json"]);
  });
});

// The replicating-servers grid kept live by the data path, with the test acting as the agent:
// what it reports (heartbeat figures, source times of its cycles, doubts about its state) and
// what the process server measures (bytes, speed, churn) become figures and health errors.
import { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { splitAgentKey } from "../../agent/signedClient";
import {
  setUpMachine,
  startFerry,
  target,
  waitForJob,
  type FerryApi,
  type JobBody,
  type RunningFerry,
} from "../support/ferryApi";
import {
  AgentCalls,
  batchBytes,
  setUpReplication,
  SourceImage,
  type Instructions,
  type Replication,
} from "../support/dataPathSetup";
import { removeTempDirs, uniqueHostname } from "../support/agentCli";
import { eventually } from "../support/eventually";

const SIZE = 4 * 1024 * 1024;
let ferry: RunningFerry;

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"));
});
afterAll(async () => {
  await ferry?.stop();
  removeTempDirs();
});

interface GridDisk {
  diskId: string;
  bytesReplicated: number;
  uploadBytesPerSecond: number;
  churnBytesPerSecond?: number;
}
interface GridRow {
  migrationState: string;
  health: string;
  healthErrors: { code: string; recommendedAction: string }[];
  initialSeedingProgress: number;
  lastRecoveryPointTime?: string;
  rpoSeconds?: number;
  resyncRequired: boolean;
  resyncInProgress: boolean;
  resyncReason?: string;
  agentFigures?: object;
  disks: GridDisk[];
}

type Answer = Instructions & { resyncId?: string; throttleBytesPerSecond?: number };

/** One replicated one-disk source, driven through the agent protocol. */
class Source {
  readonly agent: AgentCalls;
  readonly image = new SourceImage("disk0", SIZE);
  private sequence = 1;

  private constructor(
    readonly api: FerryApi,
    readonly r: Replication,
  ) {
    this.agent = new AgentCalls(api, r.credentials);
  }

  static async start(api: FerryApi): Promise<Source> {
    return new Source(api, await setUpReplication(api, [{ id: "disk0", sizeBytes: SIZE, isBoot: true }]));
  }

  get path(): string {
    return `/projects/${this.r.projectId}/replicating-servers/${this.r.itemId}`;
  }

  row(): Promise<GridRow> {
    return this.api.expect<GridRow>(this.api.get(this.path), 200);
  }

  async send(start: number, end: number): Promise<void> {
    const batch = await batchBytes(this.r.machineId, "disk0", 1, this.sequence, this.image.extents(start, end));
    const reply = await this.agent.putBatch(this.r.itemId, "disk0", 1, this.sequence, batch);
    expect(reply.status, reply.text).toBe(200);
    this.sequence += 1;
  }

  async cycle(sourceTime: Date, extra: object = {}): Promise<void> {
    const body = {
      cycleId: `cy-${Date.now()}-${this.sequence}`,
      sourceTime: sourceTime.toISOString(),
      type: "CrashConsistent",
      disks: [{ diskId: "disk0", sequence: this.sequence - 1 }],
      ...extra,
    };
    const reply = await this.agent.cycle(this.r.itemId, body);
    expect(reply.status, reply.text).toBe(200);
  }

  async heartbeat(body: object): Promise<Answer> {
    const full = { figures: { bytesSent: 0, bytesPerSecond: 0, backlogBytes: 0 }, ...body };
    const reply = await this.agent.send<{ instructions: Answer }>(
      "POST",
      `/agent/machines/${this.r.machineId}/heartbeat`,
      Buffer.from(JSON.stringify(full)),
      "application/json",
    );
    expect(reply.status, reply.text).toBe(200);
    return reply.body.instructions;
  }

  async operation(name: string): Promise<void> {
    const { job } = await this.api.expect<{ job: JobBody }>(this.api.post(`${this.path}/${name}`), 202);
    expect((await waitForJob(this.api, this.r.projectId, job.id)).state).toBe("Succeeded");
  }

  /** The initial copy in one batch and its completing cycle at `sourceTime`. */
  async seed(sourceTime: Date): Promise<void> {
    await this.heartbeat({});
    await this.send(0, SIZE);
    await this.cycle(sourceTime, { initialCopyComplete: true });
  }
}

const ago = (ms: number) => new Date(Date.now() - ms);
const codes = (row: GridRow) => row.healthErrors.map((e) => e.code).sort();

describe("replication figures", () => {
  it("shows seeding progress, bytes and upload speed per disk, and the agent's reported backlog", async () => {
    const source = await Source.start(ferry.api);
    await source.heartbeat({ figures: { bytesSent: 1234, bytesPerSecond: 5678, backlogBytes: SIZE / 2 } });
    await source.send(0, SIZE / 2);
    const seeding = await source.row();
    expect(seeding).toMatchObject({
      migrationState: "InitialSeedingInProgress",
      initialSeedingProgress: 50,
      agentFigures: { bytesSent: 1234, bytesPerSecond: 5678, backlogBytes: SIZE / 2 },
    });
    expect(seeding.disks[0]).toMatchObject({ bytesReplicated: SIZE / 2 });
    expect(seeding.disks[0]!.uploadBytesPerSecond).toBeGreaterThan(0);
    await source.send(SIZE / 2, SIZE);
    await source.cycle(ago(1000), { initialCopyComplete: true });
    const replicating = await source.row();
    expect(replicating).toMatchObject({
      migrationState: "Replicating",
      initialSeedingProgress: 100,
      health: "Normal",
      healthErrors: [],
    });
    expect(replicating.disks[0]!.bytesReplicated).toBe(SIZE);
    expect(replicating.rpoSeconds).toBeLessThan(60);
  });
});

describe("health errors", () => {
  it("raises no AgentHeartbeatLost right after replication is enabled: the machine's heartbeat counts, else a grace", async () => {
    for (const heardFirst of [true, false]) {
      const machine = await setUpMachine(ferry.api, uniqueHostname());
      const agent = new AgentCalls(ferry.api, splitAgentKey(machine.agentKey));
      if (heardFirst) expect((await agent.heartbeat()).status).toBe(200);
      const heard = await ferry.api.expect<{ lastHeartbeatTime?: string }>(
        ferry.api.get(`/projects/${machine.projectId}/machines/${machine.machineId}`),
        200,
      );
      const started = await ferry.api.expect<{ item: { id: string }; job: { id: string } }>(
        ferry.api.post(`/projects/${machine.projectId}/replications`, {
          machineId: machine.machineId,
          policyId: machine.policyId,
          target,
        }),
        202,
      );
      // Seeding from here on: the moment the agent's silence starts to count.
      expect((await waitForJob(ferry.api, machine.projectId, started.job.id)).state).toBe("Succeeded");
      const row = await ferry.api.expect<GridRow & { lastHeartbeatTime?: string }>(
        ferry.api.get(`/projects/${machine.projectId}/replicating-servers/${started.item.id}`),
        200,
      );
      expect(codes(row), `heard first: ${heardFirst}`).not.toContain("AgentHeartbeatLost");
      expect(row.lastHeartbeatTime).toBe(heard.lastHeartbeatTime);
    }
  });

  it("warns when the source churns more than a disk can take, and clears when it calms down", async () => {
    const source = await Source.start(ferry.api);
    const seededAt = ago(60_000);
    await source.seed(seededAt);
    await source.send(0, SIZE); // the whole disk rewritten within 100 ms of source time: ~42 MB/s
    await source.cycle(new Date(seededAt.getTime() + 100));
    const busy = await source.row();
    expect(busy.disks[0]!.churnBytesPerSecond).toBeGreaterThan(20_000_000);
    expect(busy).toMatchObject({ health: "Warning" });
    expect(codes(busy)).toEqual(["ChurnLimitExceeded"]);
    await source.send(0, 4096);
    await source.cycle(new Date());
    const calm = await source.row();
    expect(calm.disks[0]!.churnBytesPerSecond).toBeLessThan(1000);
    expect(calm).toMatchObject({ health: "Normal", healthErrors: [] });
  });

  it("reports the RPO and a missing recent point from the newest point's source time", async () => {
    const source = await Source.start(ferry.api);
    await source.seed(ago(150 * 60_000)); // the default policy's threshold is 60 minutes
    const late = await source.row();
    expect(late.rpoSeconds).toBeGreaterThanOrEqual(150 * 60);
    expect(late.health).toBe("Critical");
    expect(codes(late)).toEqual(["NoRecentRecoveryPoint", "RpoThresholdExceeded"]);
    await source.cycle(new Date());
    // The new point may wait a moment for apply (ProcessingLagExceeded meanwhile): then nothing is left.
    const fresh = await eventually(
      () => source.row(),
      (row) => row.health === "Normal",
      { what: "the fresh point to clear every error" },
    );
    expect(fresh).toMatchObject({ health: "Normal", healthErrors: [] });
  });

  it("marks a resync required when the agent reports lost state, and resyncs once replication resumes", async () => {
    const source = await Source.start(ferry.api);
    await source.seed(ago(1000));
    await source.operation("pause");
    const report = {
      resyncNeeded: [{ diskId: "disk0", reason: "the journal is unreadable", since: new Date().toISOString() }],
    };
    expect((await source.heartbeat(report)).action).toBe("Pause");
    const required = await source.row();
    expect(required).toMatchObject({ resyncRequired: true, resyncInProgress: false, health: "Critical" });
    expect(required.resyncReason).toMatch(/journal is unreadable/);
    expect(required.healthErrors.find((e) => e.code === "ResyncRequired")?.recommendedAction).toMatch(/StartResync/);

    await source.operation("resume");
    const resync = await source.heartbeat(report);
    expect(resync.disks.map((d) => d.mode)).toEqual(["Resync"]);
    expect(resync.resyncId).toBeDefined();
    expect(await source.row()).toMatchObject({ resyncRequired: false, resyncInProgress: true });
    await source.send(0, SIZE);
    await source.cycle(new Date(), { initialCopyComplete: true, resyncId: "not-this-resync" });
    expect(await source.row()).toMatchObject({ resyncInProgress: true });
    await source.cycle(new Date(), { initialCopyComplete: true, resyncId: resync.resyncId });
    expect(await source.row()).toMatchObject({ resyncRequired: false, resyncInProgress: false, health: "Normal" });
    // The same report arriving late (sent before the re-read ended) starts nothing.
    expect((await source.heartbeat(report)).disks.map((d) => d.mode)).toEqual(["Delta"]);
  });
});

describe("bandwidth throttle", () => {
  it("sends the operator's cap with every heartbeat until it is removed", async () => {
    const source = await Source.start(ferry.api);
    expect((await source.heartbeat({})).throttleBytesPerSecond).toBeUndefined();
    const capped = await ferry.api.expect<{ throttleBytesPerSecond?: number }>(
      ferry.api.patch(source.path, { throttleBytesPerSecond: 2_000_000 }),
      200,
    );
    expect(capped.throttleBytesPerSecond).toBe(2_000_000);
    expect((await source.heartbeat({})).throttleBytesPerSecond).toBe(2_000_000);
    await ferry.api.expect(ferry.api.patch(source.path, { throttleBytesPerSecond: null }), 200);
    expect((await source.heartbeat({})).throttleBytesPerSecond).toBeUndefined();
    expect((await ferry.api.patch(source.path, {})).status).toBe(400);
  });
});

describe("a stored row that breaks its schema", () => {
  it("answers 500 InternalError, without details, and the host log names the table and column", async () => {
    const source = await Source.start(ferry.api);
    const items = TableClient.fromConnectionString(inject("storageConnectionString"), "FerryItems", {
      allowInsecureConnection: true,
    });
    const broken = JSON.stringify([{ diskId: "disk0", sizeBytes: "large" }]);
    await items.updateEntity({ partitionKey: source.r.projectId, rowKey: source.r.itemId, disks: broken }, "Merge");
    const reply = await ferry.api.get(source.path);
    expect(reply.status).toBe(500);
    expect(reply.body).toEqual({ error: { code: "InternalError", message: expect.any(String) } });
    await ferry.host.waitForOutput(/Table FerryItems, column disks: the stored value does not match its schema/);
  });
});

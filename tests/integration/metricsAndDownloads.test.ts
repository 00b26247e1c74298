// What the portal's server blade and VM blade call: a replicating server's figures over time,
// and short-lived links that download one VM disk without the operator key.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { eventually } from "../support/eventually";
import { setUpProject, startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";
import { downloadDisk, sha256, SourceMachine, type VmBody } from "../support/lifecycleKit";

interface Metrics {
  itemId: string;
  sampleSeconds: number;
  samples: { time: string; rpoSeconds?: number; uploadBytesPerSecond: number; backlogBytes: number; health: string }[];
  healthChanges: { time: string; health: string; healthErrors: string[] }[];
}

let ferry: RunningFerry;
let source: SourceMachine;
let vm: VmBody;

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"), { env: { FERRY_METRICS_SAMPLE_SECONDS: "1" } });
  source = await SourceMachine.seeded(ferry.api);
  await source.run("test-migrate", { network: "vnet-drill" });
  [vm] = (await source.vms()) as [VmBody];
}, 90_000);
afterAll(async () => {
  await ferry?.stop();
});

const metrics = (query = "") => ferry.api.get<Metrics>(`${source.path}/metrics${query}`);

describe("a replicating server's metrics", () => {
  it("are sampled on the sampling period: RPO, speed, backlog and health, oldest first", async () => {
    const { body } = await eventually(metrics, (reply) => reply.body.samples.length >= 3, { what: "three samples" });
    expect(body.itemId).toBe(source.r.itemId);
    expect(body.sampleSeconds).toBe(1);
    const times = body.samples.map((s) => s.time);
    expect([...times].sort()).toEqual(times);
    for (const sample of body.samples) {
      expect(sample.uploadBytesPerSecond).toBeGreaterThanOrEqual(0);
      expect(sample.backlogBytes).toBeGreaterThanOrEqual(0);
    }
    // The RPO is known from the first recovery point on.
    expect(body.samples.at(-1)?.rpoSeconds).toBeGreaterThanOrEqual(0);
  });

  it("keep the health history: Critical while the agent reports its state disk full, then Normal again", async () => {
    const healthOf = (reply: { body: Metrics }) => reply.body.samples.at(-1)?.health;
    const normal = await eventually(metrics, (reply) => healthOf(reply) === "Normal", { what: "a Normal sample" });
    const before = normal.body.healthChanges;
    const full = { code: "AgentStateDiskFull", message: "No space left", since: new Date().toISOString() };
    const reported = await source.agent.heartbeat(undefined, { problems: [{ ...full, replicationStopped: true }] });
    expect(reported.status, reported.text).toBe(200);
    const critical = await eventually(metrics, (reply) => healthOf(reply) === "Critical", { what: "a Critical one" });
    await source.instructions(); // the next heartbeat reports no problem: it is over
    const after = (await eventually(metrics, (reply) => healthOf(reply) === "Normal", { what: "Normal again" })).body;
    expect(after.healthChanges.slice(0, before.length)).toEqual(before);
    const firstCritical = critical.body.samples.findIndex(
      (s, i) => i >= normal.body.samples.length - 1 && s.health === "Critical",
    );
    expect(after.healthChanges.slice(before.length)).toEqual([
      { time: critical.body.samples[firstCritical]!.time, health: "Critical", healthErrors: ["AgentStateDiskFull"] },
      {
        time: after.samples[after.samples.findLastIndex((s) => s.health === "Critical") + 1]!.time,
        health: "Normal",
        healthErrors: [],
      },
    ]);
  });

  it("start at `since` when it is given", async () => {
    const all = (await metrics()).body.samples;
    const since = all.at(-2)!.time;
    const later = (await metrics(`?since=${encodeURIComponent(since)}`)).body.samples;
    expect(later.map((s) => s.time)).toEqual(all.filter((s) => s.time >= since).map((s) => s.time));
  });

  it("refuse a `since` that is not a time, and answer 404 for another project's server", async () => {
    const bad = await ferry.api.get<ApiError>(`${source.path}/metrics?since=yesterday`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "InvalidInput", target: "since" });
    const other = await setUpProject(ferry.api);
    const elsewhere = await ferry.api.get<ApiError>(
      `/projects/${other.projectId}/replicating-servers/${source.r.itemId}/metrics`,
    );
    expect(elsewhere.status).toBe(404);
  });
});

describe("disk download links", () => {
  const linkPath = (diskId: string) =>
    `/projects/${source.r.projectId}/virtual-machines/${vm.id}/disks/${diskId}/download-link`;

  it("download one disk's fixed VHD for 15 minutes with no key, the same bytes as the operator's download", async () => {
    const minted = Date.now();
    const link = await ferry.api.expect<{ url: string; expiresAt: string }>(ferry.api.post(linkPath("disk0")), 200);
    expect(link.url).not.toContain(ferry.api.operatorKey);
    expect(new URL(link.url).origin).toBe(ferry.host.origin);
    expect(Date.parse(link.expiresAt) - minted).toBeGreaterThan(14 * 60_000);
    expect(Date.parse(link.expiresAt) - minted).toBeLessThanOrEqual(15 * 60_000 + 1000);
    const reply = await fetch(link.url);
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-disposition")).toContain("disk0.vhd");
    const bytes = Buffer.from(await reply.arrayBuffer());
    const direct = await downloadDisk(ferry.api, source.r.projectId, vm.id, "disk0");
    expect(sha256(bytes)).toBe(sha256(direct.body));
  });

  it("serve a Range of the disk", async () => {
    const link = await ferry.api.expect<{ url: string }>(ferry.api.post(linkPath("disk1")), 200);
    const reply = await fetch(link.url, { headers: { range: "bytes=512-1535" } });
    expect(reply.status).toBe(206);
    const part = Buffer.from(await reply.arrayBuffer());
    const whole = (await downloadDisk(ferry.api, source.r.projectId, vm.id, "disk1")).body;
    expect(part.equals(whole.subarray(512, 1536))).toBe(true);
  });

  it("refuse a link whose token was changed, and mint none for a disk the VM does not have", async () => {
    const link = await ferry.api.expect<{ url: string }>(ferry.api.post(linkPath("disk0")), 200);
    const token = link.url.slice(link.url.lastIndexOf("/") + 1);
    const [payload, signature] = token.split(".") as [string, string];
    const claim = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    const widened = Buffer.from(JSON.stringify({ ...claim, d: "disk1" })).toString("base64url");
    for (const forged of [`${widened}.${signature}`, `${payload}.${"A".repeat(43)}`, "nonsense"]) {
      const reply = await ferry.api.get<ApiError>(`/disk-downloads/${forged}`, { authorization: null });
      expect(reply.status, forged).toBe(403);
      expect(reply.body.error.code).toBe("InvalidDownloadLink");
    }
    expect((await ferry.api.post<ApiError>(linkPath("disk9"))).status).toBe(404);
    expect((await ferry.api.post(linkPath("disk0"), undefined, { authorization: null })).status).toBe(401);
  });
});

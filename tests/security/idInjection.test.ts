// Threat: ids that try to be more than ids — quotes, '/', '..', OData filter syntax, very long, unicode and
// invisible characters — in paths, queries and bodies. Tables are read by partition and row key, so an id
// may only ever name one row: each is refused (404 in a path, 400 naming the field in a body or query, 401
// for a credential), nothing is found that the id does not name exactly, and nothing changes.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { batchRoute, cycleBody, deltaBatch, forged, itemInDelta, type DeltaItem } from "../support/agentForgery";
import { facts, startFerry, target, type ApiError, type RunningFerry } from "../support/ferryApi";
import { refusal } from "../support/refusals";
import { StateWatch } from "../support/stateSnapshot";

const storage = inject("storageConnectionString");
let ferry: RunningFerry;
let item: DeltaItem & { policyId: string; applianceId: string };
let watch: StateWatch;
beforeAll(async () => {
  ferry = await startFerry(storage);
  const delta = await itemInDelta(ferry.api);
  const [policy] = (
    await ferry.api.expect<{ value: { id: string }[] }>(ferry.api.get(`/projects/${delta.projectId}/policies`), 200)
  ).value;
  const [appliance] = (
    await ferry.api.expect<{ value: { id: string }[] }>(ferry.api.get(`/projects/${delta.projectId}/appliances`), 200)
  ).value;
  item = { ...delta, policyId: policy!.id, applianceId: appliance!.id };
  watch = new StateWatch(storage, [item.projectId, item.itemId, item.machineId]);
});
afterAll(async () => {
  await ferry?.stop();
});

/**
 * Ids as an attacker writes them into a URL, percent-encoded where a browser would encode. A bare ".."
 * segment is not among them: URL rules remove it before any route is matched (as Azure's host does),
 * so it names the parent path, never an id; an encoded '/' keeps "../.." inside one segment, an id.
 */
const hostileIds = () => [
  "'",
  "x'%20or%20'1'%3D'1",
  `${item.projectId}'%20or%20PartitionKey%20ne%20'`,
  "prj_x%20eq%20prj_x",
  `${item.projectId}%20or%20true`,
  "%2F",
  `${item.projectId}%2F..`,
  "..%2F..%2F..",
  "%2E%2E%2F%2E%2E",
  "x".repeat(2000),
  `prj_${"0".repeat(8000)}`,
  encodeURIComponent("prj_ünïcødé"),
  encodeURIComponent(`${item.projectId}\u200b`),
  encodeURIComponent(`\u202e${item.projectId}`),
  encodeURIComponent(item.projectId.toUpperCase()),
  `${item.projectId}%00`,
];

/** Sends the path exactly as written: no client normalizes '..' or re-encodes anything. */
function rawRequest(method: string, path: string) {
  return new Promise<{ status: number; code?: string; text: string }>((resolve, reject) => {
    const url = new URL(ferry.host.origin);
    const req = http.request({
      host: url.hostname,
      port: url.port,
      method,
      path: `/api${path}`,
      headers: { authorization: `Bearer ${ferry.api.operatorKey}`, "content-type": "application/json" },
    });
    req.on("response", (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => {
        const code = text ? ((JSON.parse(text) as Partial<ApiError>).error?.code ?? undefined) : undefined;
        resolve({ status: res.statusCode ?? 0, code, text });
      });
    });
    req.on("error", reject);
    req.end(method === "POST" ? "{}" : undefined);
  });
}

describe("hostile ids in paths", () => {
  const routes = (): [string, (id: string) => string][] => {
    const p = `/projects/${item.projectId}`;
    const server = `${p}/replicating-servers/${item.itemId}`;
    return [
      ["GET", (id) => `/projects/${id}`],
      ["GET", (id) => `/projects/${id}/machines`],
      ["GET", (id) => `${p}/machines/${id}`],
      ["GET", (id) => `${p}/replicating-servers/${id}`],
      ["GET", (id) => `${p}/replicating-servers/${id}/recovery-points`],
      ["GET", (id) => `${p}/jobs/${id}`],
      ["GET", (id) => `${p}/virtual-machines/${id}`],
      ["POST", (id) => `${p}/appliances/${id}/finalize`],
      ["POST", (id) => `${p}/jobs/${id}/cancel`],
      ["POST", (id) => `${p}/replicating-servers/${id}/pause`],
      ["POST", (id) => `${server}/recovery-points/${id}/verify`],
    ];
  };

  it("answer 404 NotFound on every operator route, and change nothing", async () => {
    await watch.unchanged(async () => {
      for (const id of hostileIds()) {
        for (const [method, path] of routes()) {
          const reply = await rawRequest(method, path(id));
          expect([method, path(id).slice(0, 100), reply.status, reply.code]).toEqual([
            method,
            path(id).slice(0, 100),
            404,
            "NotFound",
          ]);
          expect(reply.text).not.toContain(item.itemId);
        }
      }
    });
  });

  it("that are not even valid percent-encoding answer 400 BadRequest", async () => {
    await watch.unchanged(async () => {
      const reply = await rawRequest("GET", `/projects/${item.projectId}%E0%A4%A`);
      expect([reply.status, reply.code]).toEqual([400, "BadRequest"]);
    });
  });

  it("answer 404 NotFound on the agent's routes: machine, item, disk, epoch and sequence", async () => {
    const batch = await deltaBatch(item, item.next);
    const put = (path: string) =>
      forged(ferry.api, item.credentials, {
        method: "PUT",
        path,
        body: batch,
        contentType: "application/octet-stream",
      })();
    const m = `/agent/machines/${item.machineId}/items/${item.itemId}`;
    const paths = [
      ...[
        "'",
        "..",
        "%2E%2E",
        "disk0'%20or%20''%3D'",
        "disk0%2F..%2Fdisk1",
        encodeURIComponent("dïsk0"),
        "d".repeat(65),
      ].map((disk) => `${m}/disks/${disk}/batches/1/${item.next}`),
      ...["-1", "1e3", "0x1", "1%20or%201", "9".repeat(16)].map((n) => `${m}/disks/disk0/batches/${n}/${item.next}`),
      ...["-1", "1.5", `${item.next}'`].map((n) => `${m}/disks/disk0/batches/1/${n}`),
      `/agent/machines/${item.machineId}/items/${item.itemId}'/disks/disk0/batches/1/${item.next}`,
      `/agent/machines/${item.machineId}%20or%20true/items/${item.itemId}/disks/disk0/batches/1/${item.next}`,
    ];
    await watch.unchanged(
      async () => {
        for (const path of paths) expect([path, ...refusal(await put(path))]).toEqual([path, 404, "NotFound"]);
      },
      { signedBy: item.machineId },
    );
  });
});

describe("hostile ids in queries and bodies", () => {
  const evil = [
    "' or ''='",
    `${"a".repeat(27)}' or PartitionKey ne '`,
    "prj_ünïcødé",
    "../../etc/passwd",
    "x".repeat(5000),
  ];

  it("in a job filter are refused with 400 InvalidInput, and never widen the list", async () => {
    await watch.unchanged(async () => {
      for (const value of evil) {
        for (const name of ["itemId", "state"]) {
          const query = `${name}=${encodeURIComponent(value)}`;
          const reply = await ferry.api.get<ApiError>(`/projects/${item.projectId}/jobs?${query}`);
          expect([query.slice(0, 60), ...refusal(reply)]).toEqual([query.slice(0, 60), 400, "InvalidInput"]);
        }
      }
    });
  });

  it("in an operator's body are refused with 400 InvalidInput naming the field", async () => {
    const p = `/projects/${item.projectId}`;
    const server = `${p}/replicating-servers/${item.itemId}`;
    const cases = (value: string): [string, string, unknown, string][] => [
      ["POST", `${p}/replications`, { machineId: value, policyId: item.policyId, target }, "machineId"],
      ["POST", `${p}/replications`, { machineId: item.machineId, policyId: value, target }, "policyId"],
      [
        "PATCH",
        server,
        { target: { disks: [{ diskId: value, include: true, diskType: "StandardSSD_LRS" }] } },
        "target.disks[0].diskId",
      ],
      ["POST", `${server}/test-migrate`, { network: "vnet-test", recoveryPoint: value }, "recoveryPoint"],
      ["POST", `${server}/migrate`, { recoveryPoint: value }, "recoveryPoint"],
    ];
    await watch.unchanged(async () => {
      for (const value of evil) {
        for (const [method, path, body, field] of cases(value)) {
          const reply = await ferry.api.request<ApiError>(method, path, { body });
          expect([path, field, ...refusal(reply), reply.body.error.target]).toEqual([
            path,
            field,
            400,
            "InvalidInput",
            field,
          ]);
        }
      }
    });
  });

  it("in a credential are refused as that credential (401), or as a malformed field when they hold spaces", async () => {
    const name = `inject-${item.itemId.slice(-8)}`;
    const secret = "a".repeat(43);
    const keys = ["rk_x'or''='", `rk_${item.projectId}'`, "rk_x' or ''='"].map((k) => `${k}.${secret}`);
    const passphrases = ["pp_x'or''='", "pp_apl_'or(RowKey)ne'", "pp_apl_' or RowKey ne '"].map(
      (k) => `${k}.${secret}`,
    );
    const expected = (value: string, code: string, field: string) =>
      value.includes(" ") ? [400, "InvalidInput", field] : [401, code, field];
    await watch.add(name).unchanged(async () => {
      for (const registrationKey of keys) {
        const reply = await ferry.api.post<ApiError>("/appliances", { registrationKey, name }, { authorization: null });
        expect([registrationKey, ...refusal(reply), reply.body.error.target]).toEqual([
          registrationKey,
          ...expected(registrationKey, "InvalidRegistrationKey", "registrationKey"),
        ]);
      }
      for (const passphrase of passphrases) {
        const body = { passphrase, machine: facts(name) };
        const reply = await ferry.api.post<ApiError>("/agent/register", body, { authorization: null });
        expect([passphrase, ...refusal(reply), reply.body.error.target]).toEqual([
          passphrase,
          ...expected(passphrase, "InvalidPassphrase", "passphrase"),
        ]);
      }
    });
  });

  it("in an agent's body are refused with 400 InvalidInput naming the field", async () => {
    const cyclePath = `/agent/machines/${item.machineId}/items/${item.itemId}/cycles`;
    const registerBody = (diskId: string) => ({
      passphrase: item.passphrase,
      machine: facts(`inject-${item.itemId.slice(-8)}`, {
        disks: [{ id: diskId, sizeBytes: 1024 ** 3, isBoot: true }],
      }),
    });
    await watch.unchanged(
      async () => {
        for (const value of ["..", "disk0/../disk1", ...evil]) {
          const cycle = Buffer.from(JSON.stringify(cycleBody([{ diskId: value, sequence: 1 }])));
          const cut = await forged(ferry.api, item.credentials, {
            method: "POST",
            path: cyclePath,
            body: cycle,
            contentType: "application/json",
          })();
          expect([value.slice(0, 40), ...refusal(cut)]).toEqual([value.slice(0, 40), 400, "InvalidInput"]);
          const reg = await ferry.api.post<ApiError>("/agent/register", registerBody(value), { authorization: null });
          expect([value.slice(0, 40), ...refusal(reg), reg.body.error.target]).toEqual([
            value.slice(0, 40),
            400,
            "InvalidInput",
            "machine.disks[0].id",
          ]);
        }
      },
      { signedBy: item.machineId },
    );
  });
});

describe("an id that names a real resource", () => {
  it("still finds exactly it, so the refusals above are the ids' doing", async () => {
    const p = `/projects/${item.projectId}`;
    expect((await rawRequest("GET", p)).status).toBe(200);
    expect((await rawRequest("GET", `${p}/replicating-servers/${item.itemId}`)).status).toBe(200);
    const put = forged(ferry.api, item.credentials, {
      method: "PUT",
      path: batchRoute(item, item.next),
      body: await deltaBatch(item, item.next),
      contentType: "application/octet-stream",
    });
    expect((await put()).status).toBe(200);
    item.next += 1;
  });
});

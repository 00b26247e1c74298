// Threat: the replay table grows without end (one row per signed request, 8,640 a day per agent
// from heartbeats alone) — or, pruned carelessly, stops refusing replays. Rows are kept exactly
// while a request with their timestamp could still pass the ±5 minute signature window.
import { randomBytes } from "node:crypto";
import { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { splitAgentKey } from "../../agent/signedClient";
import { pruneNonces, recordNonce } from "../../shared/controlPlane/nonces";
import { createStores } from "../../shared/storage/stores";
import { signatureHeaders } from "../../shared/security/agentSignature";
import { uniqueHostname } from "../support/agentCli";
import { facts, setUpMachine, signedHeaders, startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";

const minutes = 60_000;
let ferry: RunningFerry;
let machine: Awaited<ReturnType<typeof setUpMachine>>;
const hostname = uniqueHostname();
const stores = () => createStores({ kind: "connectionString", connectionString: inject("storageConnectionString") });
const deps = () => ({ stores: stores(), now: () => new Date() });
const table = () =>
  TableClient.fromConnectionString(inject("storageConnectionString"), "FerryNonces", { allowInsecureConnection: true });

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"));
  machine = await setUpMachine(ferry.api, hostname);
});
afterAll(async () => {
  await ferry?.stop();
});

/** The nonce rows of one machine, whatever their minute (and rows of the earlier layout). */
async function rowsOf(machineId: string): Promise<string[]> {
  const found: string[] = [];
  for await (const row of table().listEntities())
    if (row.partitionKey === machineId || row.partitionKey?.endsWith(`.${machineId}`)) found.push(row.rowKey ?? "");
  return found.sort();
}

/** A signed re-registration of the machine with a chosen timestamp, sendable more than once. */
function reRegistration(timestamp: number) {
  const body = Buffer.from(JSON.stringify({ passphrase: machine.passphrase, machine: facts(hostname) }));
  const url = ferry.api.url("/agent/register");
  const headers = signedHeaders(splitAgentKey(machine.agentKey), "POST", url, body, {
    timestamp: String(timestamp),
    nonce: randomBytes(18).toString("base64url"),
  });
  return {
    nonce: headers[signatureHeaders.nonce] as string,
    send: () => ferry.api.request<ApiError>("POST", "/agent/register", { rawBody: body, headers, authorization: null }),
  };
}

describe("replay nonces", () => {
  it("are deleted once the signature window has passed their timestamp", async () => {
    const machineId = `mch_${randomBytes(8).toString("hex")}`;
    const old = Date.now() - 20 * minutes;
    for (const nonce of ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"])
      await recordNonce(deps(), machineId, { nonce, timestamp: String(old) });
    // A row as hosts before this wrote it: the machine as partition, no minute.
    await table().createEntity({
      partitionKey: machineId,
      rowKey: "cccccccccccccccc",
      seenAt: new Date(old).toISOString(),
    });
    await recordNonce(deps(), machineId, { nonce: "dddddddddddddddd", timestamp: String(Date.now()) });
    expect(await rowsOf(machineId)).toHaveLength(4);

    expect(await pruneNonces(deps())).toBeGreaterThanOrEqual(3);
    expect(await rowsOf(machineId)).toEqual(["dddddddddddddddd"]);
  });

  it("still refuse a replay at the window's edge, through the host, after a prune", async () => {
    const edge = reRegistration(Date.now() - 4 * minutes - 50_000);
    const first = await edge.send();
    expect(first.status, first.text).toBe(200);
    await pruneNonces(deps());
    expect(await rowsOf(machine.machineId)).toContain(edge.nonce);
    const replay = await edge.send();
    expect([replay.status, replay.body.error.code]).toEqual([401, "ReplayedRequest"]);
  });

  it("refuse a request past the window on its signature, whether or not its nonce is still kept", async () => {
    const expired = reRegistration(Date.now() - 5 * minutes - 5_000);
    const reply = await expired.send();
    expect([reply.status, reply.body.error.code]).toEqual([401, "InvalidSignature"]);
    expect(await rowsOf(machine.machineId)).not.toContain(expired.nonce);
  });
});

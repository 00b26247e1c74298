// Threats: replayed, tampered and stale signed agent requests (DESIGN §6: HMAC-SHA256 over method, path,
// body digest, timestamp and nonce; ±5 min; replays refused), on registration and on the data path.
// Each is refused with 401 and its code, and storage holds what it held before.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { splitAgentKey, type AgentCredentials } from "../../agent/signedClient";
import { signatureHeaders } from "../../shared/security/agentSignature";
import { sha256Hex } from "../../shared/security/tokens";
import { uniqueHostname } from "../support/agentCli";
import {
  batchRoute,
  cycleBody,
  deltaBatch,
  forged,
  itemInDelta,
  type DeltaItem,
  type Forgery,
} from "../support/agentForgery";
import { facts, secretPart, setUpMachine, startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";
import { refusal } from "../support/refusals";
import { findLeaks, storedTexts } from "../support/secretScan";
import { StateWatch } from "../support/stateSnapshot";

const storage = inject("storageConnectionString");
let ferry: RunningFerry;
let mine: Awaited<ReturnType<typeof setUpMachine>> & { credentials: AgentCredentials; hostname: string };
let item: DeltaItem;
let watch: StateWatch;
beforeAll(async () => {
  ferry = await startFerry(storage);
  const hostname = uniqueHostname();
  const set = await setUpMachine(ferry.api, hostname);
  mine = { ...set, hostname, credentials: splitAgentKey(set.agentKey) };
  item = await itemInDelta(ferry.api);
  watch = new StateWatch(storage, [mine.projectId, mine.machineId, item.projectId, item.machineId, item.itemId]);
});
afterAll(async () => {
  await ferry?.stop();
});

const minutes = 60_000;
const registerPath = "/agent/register";

function body(hostname = mine.hostname, cpus = 4): Buffer {
  return Buffer.from(JSON.stringify({ passphrase: mine.passphrase, machine: facts(hostname, { cpus }) }));
}

/** A signed POST /api/agent/register, optionally forged. */
function signed(sent: Buffer, forgery: Forgery = {}) {
  const request = { method: "POST", path: registerPath, body: sent, contentType: "application/json" };
  return forged(ferry.api, mine.credentials, request, forgery);
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const heartbeatPath = () => `/agent/machines/${item.machineId}/heartbeat`;
const cyclePath = () => `/agent/machines/${item.machineId}/items/${item.itemId}/cycles`;
const heartbeat = (): Buffer => json({ figures: { bytesSent: 0, bytesPerSecond: 0, backlogBytes: 0 } });

/** The item's agent, forging a request to one of its data-path routes. */
function agentSends(method: string, path: string, sent: Buffer, contentType: string, forgery: Forgery = {}) {
  return forged(ferry.api, item.credentials, { method, path, body: sent, contentType }, forgery);
}

const putBatch = (sequence: number, sent: Buffer, forgery: Forgery = {}) =>
  agentSends("PUT", batchRoute(item, sequence), sent, "application/octet-stream", forgery);

async function machineCpus(): Promise<number> {
  const machine = await ferry.api.expect<{ cpus: number }>(
    ferry.api.get(`/projects/${mine.projectId}/machines/${mine.machineId}`),
    200,
  );
  return machine.cpus;
}

describe("signed agent requests", () => {
  it("accept the agent's own signature and re-register its machine", async () => {
    const reply = await signed(body(mine.hostname, 8))();
    expect(reply.status).toBe(200);
    expect(await machineCpus()).toBe(8);
  });

  it("refuse signature headers without the machine they belong to", async () => {
    await watch.unchanged(async () => {
      const reply = await signed(body(), { after: { [signatureHeaders.machine]: undefined } })();
      expect(refusal(reply)).toEqual([401, "InvalidSignature"]);
    });
  });

  it("refuse a request signed with a key that is not the agent's", async () => {
    const forgedKey = {
      machineId: mine.credentials.machineId,
      secret: secretPart(mine.agentKey).replace(/^./, (c) => (c === "A" ? "B" : "A")),
    };
    await watch.unchanged(async () => {
      expect(refusal(await signed(body(), { credentials: forgedKey })())).toEqual([401, "InvalidSignature"]);
    });
  });

  it("refuse an unsigned request to every signed-only agent endpoint", async () => {
    const sends: [string, string, Buffer, string][] = [
      ["POST", heartbeatPath(), heartbeat(), "application/json"],
      ["PUT", batchRoute(item, item.next), await deltaBatch(item, item.next), "application/octet-stream"],
      ["POST", cyclePath(), json(cycleBody([{ diskId: "disk0", sequence: 1 }])), "application/json"],
    ];
    await watch.unchanged(async () => {
      for (const [method, path, sent, contentType] of sends) {
        const reply = await ferry.api.request<ApiError>(method, path, {
          rawBody: sent,
          headers: { "content-type": contentType },
          authorization: null,
        });
        expect([path, ...refusal(reply)]).toEqual([path, 401, "InvalidSignature"]);
      }
    });
  });
});

describe("replayed agent requests (the same nonce within the window)", () => {
  it("are refused on registration with 401 ReplayedRequest", async () => {
    const send = signed(body(mine.hostname, 8));
    expect((await send()).status).toBe(200);
    await watch.unchanged(async () => {
      expect(refusal(await send())).toEqual([401, "ReplayedRequest"]);
    });
  });

  it("are refused on heartbeats, batches and cycles, and the replay changes nothing", async () => {
    const sequence = item.next;
    const sends = [
      agentSends("POST", heartbeatPath(), heartbeat(), "application/json"),
      putBatch(sequence, await deltaBatch(item, sequence, 0x5a)),
      agentSends("POST", cyclePath(), json(cycleBody([{ diskId: "disk0", sequence }])), "application/json"),
    ];
    for (const send of sends) expect((await send()).status).toBe(200);
    item.next += 1;
    await watch.unchanged(async () => {
      for (const send of sends) expect(refusal(await send())).toEqual([401, "ReplayedRequest"]);
    });
  });
});

describe("tampered agent requests", () => {
  it("refuse a body changed after signing, and leave the machine as it was", async () => {
    await watch.unchanged(async () => {
      const reply = await signed(body(mine.hostname, 16), { signedBody: body(mine.hostname, 8) })();
      expect(refusal(reply)).toEqual([401, "InvalidSignature"]);
    });
    expect(await machineCpus()).toBe(8);
  });

  it("refuse a heartbeat or cycle body changed after signing, burning no nonce", async () => {
    const reported = json({ figures: { bytesSent: 1e9, bytesPerSecond: 1e6, backlogBytes: 0 } });
    const cycle = json(cycleBody([{ diskId: "disk0", sequence: item.next - 1 }]));
    const otherCycle = json(cycleBody([{ diskId: "disk0", sequence: item.next - 1 }]));
    await watch.unchanged(async () => {
      const beat = agentSends("POST", heartbeatPath(), reported, "application/json", { signedBody: heartbeat() });
      expect(refusal(await beat())).toEqual([401, "InvalidSignature"]);
      const cut = agentSends("POST", cyclePath(), cycle, "application/json", { signedBody: otherCycle });
      expect(refusal(await cut())).toEqual([401, "InvalidSignature"]);
    });
  });

  it("refuse a change batch whose body is not the one signed: nothing staged, acknowledged or applied", async () => {
    const sequence = item.next;
    const legitimate = await deltaBatch(item, sequence, 0x11);
    const swapped = await deltaBatch(item, sequence, 0xee);
    // A streamed body is checked once read, after its signature held: only its nonce is recorded.
    await watch.unchanged(
      async () => {
        const reply = await putBatch(sequence, swapped, { signedBody: legitimate })();
        expect(refusal(reply)).toEqual([401, "InvalidSignature"]);
      },
      { signedBy: item.machineId },
    );
  });

  it("refuse a digest header changed after signing to match a swapped body", async () => {
    const sequence = item.next;
    const swapped = await deltaBatch(item, sequence, 0xee);
    const digest = sha256Hex(swapped);
    await watch.unchanged(async () => {
      const reply = await putBatch(sequence, swapped, {
        signedBody: await deltaBatch(item, sequence, 0x11),
        after: { [signatureHeaders.contentSha256]: digest },
      })();
      expect(refusal(reply)).toEqual([401, "InvalidSignature"]);
    });
  });

  it("refuse a request sent to another path than the one signed", async () => {
    const sequence = item.next;
    const batch = await deltaBatch(item, sequence);
    await watch.unchanged(async () => {
      expect(refusal(await signed(body(), { signedPath: `${registerPath}?machine=other` })())).toEqual([
        401,
        "InvalidSignature",
      ]);
      // Signed for the next sequence, sent as a later one.
      const later = await putBatch(sequence + 1, batch, { signedPath: batchRoute(item, sequence) })();
      expect(refusal(later)).toEqual([401, "InvalidSignature"]);
    });
  });

  it("refuse a request sent with another method than the one signed", async () => {
    await watch.unchanged(async () => {
      const beat = agentSends("POST", heartbeatPath(), heartbeat(), "application/json", { signedMethod: "PUT" });
      expect(refusal(await beat())).toEqual([401, "InvalidSignature"]);
      const reg = signed(body(), { signedMethod: "PUT" });
      expect(refusal(await reg())).toEqual([401, "InvalidSignature"]);
    });
  });

  it("refuse a nonce changed after signing", async () => {
    await watch.unchanged(async () => {
      const beat = agentSends("POST", heartbeatPath(), heartbeat(), "application/json", {
        after: { [signatureHeaders.nonce]: "another-nonce-entirely-0001" },
      });
      expect(refusal(await beat())).toEqual([401, "InvalidSignature"]);
    });
  });

  it("refuse malformed signature headers: timestamp, nonce, digest, machine", async () => {
    const broken: Record<string, string>[] = [
      { [signatureHeaders.timestamp]: "yesterday" },
      { [signatureHeaders.timestamp]: `${Date.now()}.5` },
      { [signatureHeaders.nonce]: "short" },
      { [signatureHeaders.nonce]: "x".repeat(65) },
      { [signatureHeaders.contentSha256]: "not-hex" },
      { [signatureHeaders.machine]: "mch_' or ''='" },
      { [signatureHeaders.signature]: "" },
    ];
    await watch.unchanged(async () => {
      for (const after of broken) {
        const reply = await agentSends("POST", heartbeatPath(), heartbeat(), "application/json", { after })();
        expect([after, ...refusal(reply)]).toEqual([after, 401, "InvalidSignature"]);
      }
    });
  });
});

describe("stale agent requests", () => {
  it("refuse timestamps outside the ±5 minute window, and a timestamp changed after signing", async () => {
    await watch.unchanged(async () => {
      for (const offset of [-6 * minutes, 6 * minutes]) {
        const reply = await signed(body(), { tweak: { timestamp: String(Date.now() + offset) } })();
        expect(refusal(reply)).toEqual([401, "InvalidSignature"]);
        expect(reply.body.error.message).toMatch(/5 minute/);
      }
      const moved = await signed(body(), { after: { [signatureHeaders.timestamp]: String(Date.now() - 1000) } })();
      expect(refusal(moved)).toEqual([401, "InvalidSignature"]);
    });
  });

  it("refuse a batch and a heartbeat signed outside the window", async () => {
    const sequence = item.next;
    const batch = await deltaBatch(item, sequence);
    const late = { tweak: { timestamp: String(Date.now() - 6 * minutes) } };
    await watch.unchanged(async () => {
      expect(refusal(await putBatch(sequence, batch, late)())).toEqual([401, "InvalidSignature"]);
      const beat = agentSends("POST", heartbeatPath(), heartbeat(), "application/json", late);
      expect(refusal(await beat())).toEqual([401, "InvalidSignature"]);
    });
  });
});

describe("the agent's secrets", () => {
  it("never put the agent key or passphrase in a table, the host log or an error body", async () => {
    const places = [
      ...(await storedTexts(storage)),
      { where: "host output", text: ferry.host.output() },
      ...ferry.api.errorTexts.map((text, i) => ({ where: `error body ${i}`, text })),
    ];
    expect(
      findLeaks(places, {
        agentKey: secretPart(mine.agentKey),
        passphrase: secretPart(mine.passphrase),
        itemAgentKey: item.credentials.secret,
        operatorKey: ferry.api.operatorKey,
      }),
    ).toEqual([]);
  });
});

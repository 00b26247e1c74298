// Signed agent requests (docs/security.md) against POST /api/agent/register, the one signed endpoint so far.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { splitAgentKey, type AgentCredentials } from "../../agent/signedClient";
import { signatureHeaders } from "../../shared/security/agentSignature";
import { uniqueHostname } from "../support/agentCli";
import {
  facts,
  secretPart,
  setUpMachine,
  signedHeaders,
  startFerry,
  type ApiError,
  type ApiReply,
  type RunningFerry,
} from "../support/ferryApi";
import { findLeaks, storedTexts } from "../support/secretScan";

let ferry: RunningFerry;
let mine: Awaited<ReturnType<typeof setUpMachine>> & { credentials: AgentCredentials; hostname: string };
beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"));
  const hostname = uniqueHostname();
  const set = await setUpMachine(ferry.api, hostname);
  mine = { ...set, hostname, credentials: splitAgentKey(set.agentKey) };
});
afterAll(async () => {
  await ferry?.stop();
});

const minutes = 60_000;
const registerPath = "/agent/register";

interface Forgery {
  /** What the signature covers; defaults to what is sent. */
  signedBody?: Buffer;
  signedPath?: string;
  tweak?: { timestamp?: string; nonce?: string };
  /** Header changes made after signing. */
  after?: Record<string, string | undefined>;
  credentials?: AgentCredentials;
}

function body(hostname = mine.hostname, cpus = 4): Buffer {
  return Buffer.from(JSON.stringify({ passphrase: mine.passphrase, machine: facts(hostname, { cpus }) }));
}

/** Prepares a signed POST /api/agent/register, optionally forged; `send` can be called more than once. */
function signed(sent: Buffer, forgery: Forgery = {}) {
  const url = ferry.api.url(forgery.signedPath ?? registerPath);
  const headers = signedHeaders(
    forgery.credentials ?? mine.credentials,
    "POST",
    url,
    forgery.signedBody ?? sent,
    forgery.tweak,
  );
  for (const [name, value] of Object.entries(forgery.after ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return () => ferry.api.request<ApiError>("POST", registerPath, { rawBody: sent, headers, authorization: null });
}

async function machineCpus(): Promise<number> {
  return (
    await ferry.api.expect<{ cpus: number }>(
      ferry.api.get(`/projects/${mine.projectId}/machines/${mine.machineId}`),
      200,
    )
  ).cpus;
}

function refusal(reply: ApiReply<ApiError>) {
  return [reply.status, reply.body.error.code];
}

describe("signed agent requests", () => {
  it("accept the agent's own signature and re-register its machine", async () => {
    const reply = await signed(body(mine.hostname, 8))();
    expect(reply.status).toBe(200);
    expect(await machineCpus()).toBe(8);
  });

  it("refuse signature headers without the machine they belong to", async () => {
    expect(refusal(await signed(body(), { after: { [signatureHeaders.machine]: undefined } })())).toEqual([
      401,
      "InvalidSignature",
    ]);
  });

  it("refuse a request signed with a key that is not the agent's", async () => {
    const forged = {
      machineId: mine.credentials.machineId,
      secret: secretPart(mine.agentKey).replace(/^./, (c) => (c === "A" ? "B" : "A")),
    };
    expect(refusal(await signed(body(), { credentials: forged })())).toEqual([401, "InvalidSignature"]);
  });

  it("refuse a replayed request (the same nonce twice)", async () => {
    const send = signed(body(mine.hostname, 8));
    expect((await send()).status).toBe(200);
    expect(refusal(await send())).toEqual([401, "ReplayedRequest"]);
  });

  it("refuse a body changed after signing, and leave the machine as it was", async () => {
    const reply = await signed(body(mine.hostname, 16), { signedBody: body(mine.hostname, 8) })();
    expect(refusal(reply)).toEqual([401, "InvalidSignature"]);
    expect(await machineCpus()).toBe(8);
  });

  it("refuse a request sent to another path than the one signed", async () => {
    expect(refusal(await signed(body(), { signedPath: `${registerPath}?machine=other` })())).toEqual([
      401,
      "InvalidSignature",
    ]);
  });

  it("refuse timestamps outside the ±5 minute window, and a timestamp changed after signing", async () => {
    for (const offset of [-6 * minutes, 6 * minutes]) {
      const reply = await signed(body(), { tweak: { timestamp: String(Date.now() + offset) } })();
      expect(refusal(reply)).toEqual([401, "InvalidSignature"]);
      expect(reply.body.error.message).toMatch(/5 minute/);
    }
    const moved = await signed(body(), { after: { [signatureHeaders.timestamp]: String(Date.now() - 1000) } })();
    expect(refusal(moved)).toEqual([401, "InvalidSignature"]);
  });

  it("refuse an agent that signs with its key in another machine's name", async () => {
    const other = await ferry.api.expect<{ machineId: string }>(
      ferry.api.post(
        registerPath,
        { passphrase: mine.passphrase, machine: facts(uniqueHostname()) },
        { authorization: null },
      ),
      201,
    );
    const reply = await signed(body(), { after: { [signatureHeaders.machine]: other.machineId } })();
    expect(refusal(reply)).toEqual([401, "InvalidSignature"]);
  });

  it("refuse an unsigned request to a signed-only agent endpoint", async () => {
    const reply = await ferry.api.request<ApiError>("POST", `/agent/machines/${mine.machineId}/heartbeat`, {
      body: {},
      authorization: null,
    });
    expect(refusal(reply)).toEqual([401, "InvalidSignature"]);
  });

  it("refuse an agent acting on another machine with 403 Forbidden", async () => {
    const other = await ferry.api.expect<{ machineId: string }>(
      ferry.api.post(
        registerPath,
        { passphrase: mine.passphrase, machine: facts(uniqueHostname()) },
        { authorization: null },
      ),
      201,
    );
    const path = `/agent/machines/${other.machineId}/heartbeat`;
    const sent = Buffer.from("{}");
    const headers = signedHeaders(mine.credentials, "POST", ferry.api.url(path), sent);
    const reply = await ferry.api.request<ApiError>("POST", path, { rawBody: sent, headers, authorization: null });
    expect(refusal(reply)).toEqual([403, "Forbidden"]);
  });

  it("refuse an agent that re-registers under another machine's identity", async () => {
    const otherHost = uniqueHostname();
    const other = await ferry.api.expect<{ machineId: string }>(
      ferry.api.post(registerPath, { passphrase: mine.passphrase, machine: facts(otherHost) }, { authorization: null }),
      201,
    );
    const reply = await signed(body(otherHost))();
    expect(refusal(reply)).toEqual([409, "MachineIdentityConflict"]);
    const machine = await ferry.api.expect<{ hostname: string }>(
      ferry.api.get(`/projects/${mine.projectId}/machines/${other.machineId}`),
      200,
    );
    expect(machine.hostname).toBe(otherHost);
    expect(
      (
        await ferry.api.expect<{ hostname: string }>(
          ferry.api.get(`/projects/${mine.projectId}/machines/${mine.machineId}`),
          200,
        )
      ).hostname,
    ).toBe(mine.hostname);
  });

  it("refuse an unsigned request that claims a registered machine, even with the passphrase", async () => {
    const reply = await ferry.api.request<ApiError>("POST", registerPath, {
      rawBody: body(mine.hostname, 32),
      authorization: null,
    });
    expect(refusal(reply)).toEqual([409, "MachineIdentityConflict"]);
    expect(await machineCpus()).toBe(8);
  });

  it("never put the agent key or passphrase in a table, the host log or an error body", async () => {
    const places = [
      ...(await storedTexts(inject("storageConnectionString"))),
      { where: "host output", text: ferry.host.output() },
      ...ferry.api.errorTexts.map((text, i) => ({ where: `error body ${i}`, text })),
    ];
    expect(
      findLeaks(places, {
        agentKey: secretPart(mine.agentKey),
        passphrase: secretPart(mine.passphrase),
        operatorKey: ferry.api.operatorKey,
      }),
    ).toEqual([]);
  });
});

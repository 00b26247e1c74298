// Threats: an agent reaching past its own machine (DESIGN §6: "an agent may touch only its own machine's
// disks") — another machine's heartbeat, batches and cycles, another machine's or project's item, another
// machine's identity — each refused with its code, and neither machine's state changed.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { splitAgentKey, type AgentCredentials } from "../../agent/signedClient";
import { signatureHeaders } from "../../shared/security/agentSignature";
import {
  diskImages,
  passphraseFile,
  registerWithCli,
  removeTempDirs,
  tempDir,
  uniqueHostname,
} from "../support/agentCli";
import { batchRoute, cycleBody, deltaBatch, forged, itemInDelta, type DeltaItem } from "../support/agentForgery";
import { batchBytes } from "../support/dataPathSetup";
import { facts, registerMachine, startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";
import { refusal } from "../support/refusals";
import { StateWatch } from "../support/stateSnapshot";

const storage = inject("storageConnectionString");
let ferry: RunningFerry;
/** The victim: machine B replicating in project 1. */
let b: DeltaItem;
/** Another machine of project 1, with its own agent key. */
let a: { machineId: string; credentials: AgentCredentials; hostname: string };
/** A machine replicating in project 2. */
let c: DeltaItem;
let watch: StateWatch;
beforeAll(async () => {
  ferry = await startFerry(storage);
  b = await itemInDelta(ferry.api);
  c = await itemInDelta(ferry.api);
  const hostname = uniqueHostname();
  const registered = await registerMachine(ferry.api, b.passphrase, facts(hostname));
  a = { machineId: registered.machineId, credentials: splitAgentKey(registered.agentKey), hostname };
  watch = new StateWatch(storage, [b.projectId, b.machineId, b.itemId, c.projectId, c.machineId, c.itemId]);
  watch.add(a.machineId);
});
afterAll(async () => {
  await ferry?.stop();
  removeTempDirs();
});

const mib = 1024 * 1024;

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const heartbeat = () => json({ figures: { bytesSent: 0, bytesPerSecond: 0, backlogBytes: 0 } });

/** A request signed with `credentials`, sent as is. */
function send(credentials: AgentCredentials, method: string, path: string, body: Buffer, contentType: string) {
  return forged(ferry.api, credentials, { method, path, body, contentType })();
}

const put = (credentials: AgentCredentials, path: string, body: Buffer) =>
  send(credentials, "PUT", path, body, "application/octet-stream");
const post = (credentials: AgentCredentials, path: string, body: Buffer) =>
  send(credentials, "POST", path, body, "application/json");

describe("an agent acting on another machine", () => {
  it("is refused on that machine's heartbeat with 403 Forbidden", async () => {
    await watch.unchanged(
      async () => {
        const reply = await post(a.credentials, `/agent/machines/${b.machineId}/heartbeat`, heartbeat());
        expect(refusal(reply)).toEqual([403, "Forbidden"]);
      },
      { signedBy: a.machineId },
    );
  });

  it("is refused on that machine's batches and cycles with 403 Forbidden, its replica untouched", async () => {
    const batch = await batchBytes(b.machineId, "disk0", 1, b.next, [
      { kind: "data", offset: 0, data: Buffer.alloc(4096, 0xee) },
    ]);
    await watch.unchanged(
      async () => {
        expect(refusal(await put(a.credentials, batchRoute(b, b.next), batch))).toEqual([403, "Forbidden"]);
        const cycle = json(cycleBody([{ diskId: "disk0", sequence: b.next - 1 }]));
        const cut = await post(a.credentials, `/agent/machines/${b.machineId}/items/${b.itemId}/cycles`, cycle);
        expect(refusal(cut)).toEqual([403, "Forbidden"]);
      },
      { signedBy: a.machineId },
    );
  });

  it("is refused with 404 when it names that machine's item under its own machine", async () => {
    const own = { machineId: a.machineId, itemId: b.itemId };
    const batch = await batchBytes(a.machineId, "disk0", 1, b.next, [
      { kind: "data", offset: 0, data: Buffer.alloc(4096, 0xee) },
    ]);
    await watch.unchanged(
      async () => {
        expect(refusal(await put(a.credentials, batchRoute(own, b.next), batch))).toEqual([404, "NotFound"]);
        const cycle = json(cycleBody([{ diskId: "disk0", sequence: b.next - 1 }]));
        const cut = await post(a.credentials, `/agent/machines/${a.machineId}/items/${b.itemId}/cycles`, cycle);
        expect(refusal(cut)).toEqual([404, "NotFound"]);
      },
      { signedBy: a.machineId },
    );
  });

  it("is refused with 404 when it names another project's item", async () => {
    const own = { machineId: c.machineId, itemId: b.itemId };
    await watch.unchanged(
      async () => {
        const reply = await put(c.credentials, batchRoute(own, b.next), await deltaBatch(c, b.next));
        expect(refusal(reply)).toEqual([404, "NotFound"]);
        const cycle = json(cycleBody([{ diskId: "disk0", sequence: b.next - 1 }]));
        const cut = await post(c.credentials, `/agent/machines/${c.machineId}/items/${b.itemId}/cycles`, cycle);
        expect(refusal(cut)).toEqual([404, "NotFound"]);
      },
      { signedBy: c.machineId },
    );
  });

  it("is refused when its own batch names a disk its item does not have", async () => {
    await watch.unchanged(
      async () => {
        const reply = await put(c.credentials, batchRoute(c, c.next, "disk1"), await deltaBatch(c, c.next));
        expect([...refusal(reply), reply.body.error.target]).toEqual([404, "NotFound", "Disk"]);
      },
      { signedBy: c.machineId },
    );
  });

  it("is refused with 400 BatchWrongMachine when its batch header names another machine", async () => {
    const batch = await batchBytes(b.machineId, "disk0", 1, c.next, [
      { kind: "data", offset: 0, data: Buffer.alloc(4096, 0xee) },
    ]);
    await watch.unchanged(
      async () => {
        expect(refusal(await put(c.credentials, batchRoute(c, c.next), batch))).toEqual([400, "BatchWrongMachine"]);
      },
      { signedBy: c.machineId },
    );
  });

  it("is refused with 401 when it signs with its key in another machine's name", async () => {
    const path = `/agent/machines/${b.machineId}/heartbeat`;
    const request = { method: "POST", path, body: heartbeat(), contentType: "application/json" };
    await watch.unchanged(async () => {
      const reply = await forged(ferry.api, a.credentials, request, {
        after: { [signatureHeaders.machine]: b.machineId },
      })();
      expect(refusal(reply)).toEqual([401, "InvalidSignature"]);
    });
  });
});

describe("an agent claiming another machine's identity", () => {
  it("is refused with 409 MachineIdentityConflict when it re-registers as that machine", async () => {
    const otherHost = uniqueHostname();
    const other = await registerMachine(ferry.api, b.passphrase, facts(otherHost));
    watch.add(other.machineId);
    const body = json({ passphrase: b.passphrase, machine: facts(otherHost) });
    await watch.unchanged(
      async () => {
        const reply = await post(a.credentials, "/agent/register", body);
        expect(refusal(reply)).toEqual([409, "MachineIdentityConflict"]);
      },
      { signedBy: a.machineId },
    );
    const machine = await ferry.api.expect<{ hostname: string }>(
      ferry.api.get(`/projects/${b.projectId}/machines/${other.machineId}`),
      200,
    );
    expect(machine.hostname).toBe(otherHost);
    const own = await ferry.api.expect<{ hostname: string }>(
      ferry.api.get(`/projects/${b.projectId}/machines/${a.machineId}`),
      200,
    );
    expect(own.hostname).toBe(a.hostname);
  });

  it("is refused with 409 when unsigned it claims a registered machine, even with the passphrase", async () => {
    await watch.unchanged(async () => {
      const reply = await ferry.api.request<ApiError>("POST", "/agent/register", {
        body: { passphrase: b.passphrase, machine: facts(a.hostname, { cpus: 32 }) },
        authorization: null,
      });
      expect(refusal(reply)).toEqual([409, "MachineIdentityConflict"]);
    });
  });

  it("is refused with 409 MachineIdentityConflict when a second agent registers as a registered machine", async () => {
    const dir = tempDir();
    const hostname = uniqueHostname();
    const args = {
      server: `${ferry.host.origin}/api`,
      passphraseFile: passphraseFile(dir, b.passphrase),
      stateDir: path.join(dir, "state-a"),
      hostname,
    };
    const first = await registerWithCli({ ...args, disks: diskImages(dir, [32 * mib]) });
    const machineId = first.stdout.trim();
    const machinesBefore = await machineIds();
    await watch.add(machineId, hostname).unchanged(async () => {
      const clone = await registerWithCli({
        ...args,
        stateDir: path.join(dir, "state-b"),
        disks: diskImages(dir, [32 * mib]),
      });
      expect(clone.code).toBe(1);
      expect(clone.stderr).toMatch(/^MachineIdentityConflict: .*already registered as '(mch_\w+)'/);
      expect(clone.state).toBeUndefined();
      const direct = await ferry.api.post<ApiError>(
        "/agent/register",
        { passphrase: b.passphrase, machine: facts(hostname) },
        { authorization: null },
      );
      expect([...refusal(direct), direct.body.error.target]).toEqual([409, "MachineIdentityConflict", "machine"]);
    });
    expect(await machineIds()).toEqual(machinesBefore);
  });
});

async function machineIds(): Promise<string[]> {
  const list = await ferry.api.expect<{ value: { id: string }[] }>(
    ferry.api.get(`/projects/${b.projectId}/machines`),
    200,
  );
  return list.value.map((m) => m.id).sort();
}

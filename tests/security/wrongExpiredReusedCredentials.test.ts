// Threats: wrong, expired and reused credentials — registration keys, appliance passphrases (rotated
// ones too), agent keys and the operator key — each refused with its own stable code, and nothing changed.
import path from "node:path";
import { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { splitAgentKey } from "../../agent/signedClient";
import {
  diskImages,
  passphraseFile,
  registerWithCli,
  removeTempDirs,
  tempDir,
  uniqueHostname,
} from "../support/agentCli";
import { AgentCalls } from "../support/dataPathSetup";
import {
  facts,
  registerMachine,
  secretPart,
  setUpProject,
  startFerry,
  type ApiError,
  type ProjectSetUp,
  type RunningFerry,
} from "../support/ferryApi";
import { refusal, wrongSecret } from "../support/refusals";
import { findLeaks, storedTexts } from "../support/secretScan";
import { StateWatch } from "../support/stateSnapshot";

const storage = inject("storageConnectionString");
let ferry: RunningFerry;
let project: ProjectSetUp;
/** Everything this file creates lives in its projects: they are what must not change. */
let watch: StateWatch;
beforeAll(async () => {
  ferry = await startFerry(storage);
  project = await setUpProject(ferry.api);
  watch = new StateWatch(storage, [project.projectId, project.applianceId]);
});
afterAll(async () => {
  await ferry?.stop();
  removeTempDirs();
});

const keysSeen: string[] = [];

async function newKey(): Promise<string> {
  const { key } = await ferry.api.expect<{ key: string }>(
    ferry.api.post(`/projects/${project.projectId}/registration-keys`),
    201,
  );
  keysSeen.push(key);
  return key;
}

function registerAppliance(registrationKey: string, name = "appliance") {
  return ferry.api.post<ApiError>("/appliances", { registrationKey, name }, { authorization: null });
}

function registerAgent(passphrase: string, hostname = uniqueHostname()) {
  return ferry.api.post<ApiError>("/agent/register", { passphrase, machine: facts(hostname) }, { authorization: null });
}

async function applianceCount(): Promise<number> {
  const list = await ferry.api.expect<{ value: object[] }>(
    ferry.api.get(`/projects/${project.projectId}/appliances`),
    200,
  );
  return list.value.length;
}

describe("appliance registration keys", () => {
  it("refuse a key whose secret part is wrong, and a malformed key, burning nothing", async () => {
    const key = await newKey();
    const name = uniqueHostname("apl");
    watch.add(name);
    await watch.unchanged(async () => {
      expect(refusal(await registerAppliance(wrongSecret(key), name))).toEqual([401, "InvalidRegistrationKey"]);
      expect(refusal(await registerAppliance("rk_not-a-key-at-all", name))).toEqual([401, "InvalidRegistrationKey"]);
      expect(refusal(await registerAppliance("short", name))).toEqual([400, "InvalidInput"]);
    });
    // The real key still works: failed attempts do not burn it.
    expect((await registerAppliance(key)).status).toBe(201);
  });

  it("refuse another kind of credential presented as a registration key", async () => {
    const agent = await registerMachine(ferry.api, project.passphrase, facts(uniqueHostname()));
    await watch.unchanged(async () => {
      for (const other of [project.passphrase, agent.agentKey, ferry.api.operatorKey])
        expect(refusal(await registerAppliance(other))).toEqual([401, "InvalidRegistrationKey"]);
    });
  });

  it("refuse a key that was already used", async () => {
    const key = await newKey();
    expect((await registerAppliance(key)).status).toBe(201);
    const before = await applianceCount();
    await watch.unchanged(async () => {
      expect(refusal(await registerAppliance(key))).toEqual([401, "RegistrationKeyUsed"]);
    });
    expect(await applianceCount()).toBe(before);
  });

  it("let only one of several concurrent registrations use a key", async () => {
    const key = await newKey();
    const before = await applianceCount();
    const replies = await Promise.all(Array.from({ length: 5 }, () => registerAppliance(key)));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of replies.filter((reply) => reply.status !== 201)) {
      expect(r.status).toBe(401);
      expect(["RegistrationKeyUsed", "InvalidRegistrationKey"]).toContain(r.body.error.code);
    }
    expect(await applianceCount()).toBe(before + 1);
  });

  it("refuse a key past its five days, and leave it as it was", async () => {
    // The API cannot mint an old key and the host's clock is its own: age the key's row instead.
    const key = await newKey();
    const keyId = /(rk_[0-9a-z]{26})\./.exec(key)?.[1] ?? "";
    const table = TableClient.fromConnectionString(storage, "FerryRegistrationKeys", { allowInsecureConnection: true });
    await table.updateEntity(
      { partitionKey: keyId, rowKey: "key", expiresAt: new Date(Date.now() - 1000).toISOString() },
      "Merge",
    );
    const before = await applianceCount();
    await watch.add(keyId).unchanged(async () => {
      expect(refusal(await registerAppliance(key))).toEqual([401, "RegistrationKeyExpired"]);
    });
    expect(await applianceCount()).toBe(before);
  });
});

describe("appliance passphrases", () => {
  it("refuse a wrong or malformed passphrase, and register nothing", async () => {
    const hostname = uniqueHostname();
    await watch.add(hostname).unchanged(async () => {
      expect(refusal(await registerAgent(wrongSecret(project.passphrase), hostname))).toEqual([
        401,
        "InvalidPassphrase",
      ]);
      expect(refusal(await registerAgent("pp_nothing-like-a-passphrase", hostname))).toEqual([
        401,
        "InvalidPassphrase",
      ]);
      expect(refusal(await registerAgent(keysSeen[0] ?? "", hostname))).toEqual([401, "InvalidPassphrase"]);
    });
  });

  it("refuse the passphrase of an appliance not finalized yet with 409 ApplianceNotFinalized", async () => {
    const key = await newKey();
    const appliance = await ferry.api.expect<{ passphrase: string; applianceId: string }>(registerAppliance(key), 201);
    const hostname = uniqueHostname();
    await watch.add(appliance.applianceId, hostname).unchanged(async () => {
      expect(refusal(await registerAgent(appliance.passphrase, hostname))).toEqual([409, "ApplianceNotFinalized"]);
    });
  });
});

describe("rotating the appliance passphrase", () => {
  it("refuses the old passphrase for new agents while registered agents keep working", async () => {
    const dir = tempDir();
    const rotating = await setUpProject(ferry.api);
    const args = {
      server: `${ferry.host.origin}/api`,
      passphraseFile: passphraseFile(dir, rotating.passphrase),
      stateDir: path.join(dir, "state-a"),
      hostname: uniqueHostname(),
    };
    const first = await registerWithCli({ ...args, disks: diskImages(dir, [32 * 1024 * 1024]) });
    const machineId = first.stdout.trim();
    const agentKey = first.state?.agentKey ?? "";
    const rotated = await ferry.api.expect<{ passphrase: string }>(
      ferry.api.post(`/projects/${rotating.projectId}/appliances/${rotating.applianceId}/passphrase`),
      200,
    );
    expect(rotated.passphrase).not.toBe(rotating.passphrase);

    const staleHost = uniqueHostname();
    const rotatingWatch = new StateWatch(storage, [rotating.projectId, rotating.applianceId, staleHost]);
    await rotatingWatch.unchanged(async () => {
      expect(refusal(await registerAgent(rotating.passphrase, staleHost))).toEqual([401, "InvalidPassphrase"]);
      const staleCli = await registerWithCli({
        ...args,
        stateDir: path.join(dir, "state-new"),
        hostname: staleHost,
        disks: diskImages(dir, [1024 * 1024]),
      });
      expect([staleCli.code, staleCli.stderr.split(":")[0]]).toEqual([1, "InvalidPassphrase"]);
    });

    // The registered agent still holds only the old passphrase file: its own key signs it in, and it heartbeats.
    const kept = await registerWithCli({ ...args, disks: diskImages(dir, [32 * 1024 * 1024]) });
    expect([kept.code, kept.stdout.trim(), kept.state?.agentKey]).toEqual([0, machineId, agentKey]);
    expect((await new AgentCalls(ferry.api, splitAgentKey(agentKey)).heartbeat()).status).toBe(200);

    const fresh = await registerAgent(rotated.passphrase);
    expect(fresh.status).toBe(201);

    const secrets = {
      oldPassphrase: secretPart(rotating.passphrase),
      newPassphrase: secretPart(rotated.passphrase),
      agentKey: secretPart(agentKey),
    };
    const places = [
      ...(await storedTexts(storage)),
      { where: "host output", text: ferry.host.output() },
      ...ferry.api.errorTexts.map((text, i) => ({ where: `error body ${i}`, text })),
    ];
    expect(findLeaks(places, secrets)).toEqual([]);
  });
});

describe("agent keys", () => {
  it("refuse a request signed with a key that is not the agent's, recording nothing", async () => {
    const agent = await registerMachine(ferry.api, project.passphrase, facts(uniqueHostname()));
    const credentials = splitAgentKey(agent.agentKey);
    const forged = { machineId: credentials.machineId, secret: wrongSecret(credentials.secret) };
    await watch.add(agent.machineId).unchanged(async () => {
      expect(refusal(await new AgentCalls(ferry.api, forged).heartbeat())).toEqual([401, "InvalidSignature"]);
    });
  });
});

describe("the operator key", () => {
  const routes = () => [
    ["GET", "/projects"],
    ["POST", "/projects"],
    ["GET", `/projects/${project.projectId}`],
    ["POST", `/projects/${project.projectId}/registration-keys`],
    ["GET", `/projects/${project.projectId}/machines`],
    ["GET", `/projects/${project.projectId}/policies`],
    ["GET", `/projects/${project.projectId}/replicating-servers`],
    ["GET", `/projects/${project.projectId}/jobs`],
    ["POST", `/projects/${project.projectId}/replications`],
  ];

  it("is required on every operator route, refused when wrong or malformed, with 401 Unauthorized", async () => {
    const key = ferry.api.operatorKey;
    const headers = [
      null,
      `Bearer ${wrongSecret(key)}`,
      `Basic ${key}`,
      "Bearer",
      `Bearer ${key} ${key}`,
      `Bearer ${key.slice(0, -1)}`,
      `Bearer ${key}x`,
      key,
      `Bearer ${ferry.host.masterKey}`,
      `Bearer ${ferry.host.functionKey}`,
    ];
    await watch.unchanged(async () => {
      for (const authorization of headers) {
        for (const [method, path] of routes()) {
          const reply = await ferry.api.request<ApiError>(method, path, {
            authorization,
            ...(method === "POST" ? { body: {} } : {}),
          });
          expect([method, path, authorization, ...refusal(reply)]).toEqual([
            method,
            path,
            authorization,
            401,
            "Unauthorized",
          ]);
        }
      }
    });
  });

  it("is not taken from the places the host reads function keys: ?code= and x-functions-key", async () => {
    const key = ferry.api.operatorKey;
    await watch.unchanged(async () => {
      for (const [method, path] of routes()) {
        const options = { authorization: null, ...(method === "POST" ? { body: {} } : {}) };
        const byQuery = await ferry.api.request<ApiError>(method, `${path}?code=${encodeURIComponent(key)}`, options);
        const byHeader = await ferry.api.request<ApiError>(method, path, {
          ...options,
          headers: { "x-functions-key": key },
        });
        expect([path, ...refusal(byQuery), ...refusal(byHeader)]).toEqual([
          path,
          401,
          "Unauthorized",
          401,
          "Unauthorized",
        ]);
      }
    });
  });

  it("lets nothing through without it: a refused create leaves no project", async () => {
    const name = `nokey-${Date.now()}`;
    await new StateWatch(storage, [name]).unchanged(async () => {
      const reply = await ferry.api.post(
        "/projects",
        { name, geography: "Europe", targetRegion: "westeurope" },
        { authorization: null },
      );
      expect(refusal(reply)).toEqual([401, "Unauthorized"]);
    });
    const list = await ferry.api.expect<{ value: { name: string }[] }>(ferry.api.get("/projects"), 200);
    expect(list.value.map((p) => p.name)).not.toContain(name);
  });

  it("and the registration keys never reach a table, the host log or an error body", async () => {
    const secrets = Object.fromEntries([
      ...keysSeen.map((k, i) => [`registrationKey${i}`, secretPart(k)]),
      ["operatorKey", ferry.api.operatorKey],
    ]);
    const places = [
      ...(await storedTexts(storage)),
      { where: "host output", text: ferry.host.output() },
      ...ferry.api.errorTexts.map((text, i) => ({ where: `error body ${i}`, text })),
    ];
    expect(findLeaks(places, secrets)).toEqual([]);
  });
});

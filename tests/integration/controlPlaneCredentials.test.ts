// Registration keys, passphrases and the operator key, each threat refused with its own stable code.
import { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { uniqueHostname } from "../support/agentCli";
import {
  facts,
  secretPart,
  setUpProject,
  startFerry,
  type ApiError,
  type ApiReply,
  type RunningFerry,
} from "../support/ferryApi";
import { findLeaks, storedTexts } from "../support/secretScan";

let ferry: RunningFerry;
let projectId: string;
beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"));
  projectId = (await setUpProject(ferry.api)).projectId;
});
afterAll(async () => {
  await ferry?.stop();
});

const keysSeen: string[] = [];

async function newKey(): Promise<string> {
  const { key } = await ferry.api.expect<{ key: string }>(
    ferry.api.post(`/projects/${projectId}/registration-keys`),
    201,
  );
  keysSeen.push(key);
  return key;
}

function registerAppliance(registrationKey: string) {
  return ferry.api.post<ApiError>("/appliances", { registrationKey, name: "appliance" }, { authorization: null });
}

function refusal(reply: ApiReply<ApiError>) {
  return [reply.status, reply.body.error.code];
}

/** Flips the last character of a credential's secret part. */
function wrongSecret(credential: string): string {
  return credential.slice(0, -1) + (credential.endsWith("A") ? "B" : "A");
}

async function applianceCount(): Promise<number> {
  return (await ferry.api.expect<{ value: object[] }>(ferry.api.get(`/projects/${projectId}/appliances`), 200)).value
    .length;
}

describe("appliance registration keys", () => {
  it("refuse a key whose secret part is wrong, and a malformed key", async () => {
    const key = await newKey();
    expect(refusal(await registerAppliance(wrongSecret(key)))).toEqual([401, "InvalidRegistrationKey"]);
    expect(refusal(await registerAppliance("rk_not-a-key-at-all"))).toEqual([401, "InvalidRegistrationKey"]);
    expect(refusal(await registerAppliance("short"))).toEqual([400, "InvalidInput"]);
    // The real key still works: failed attempts do not burn it.
    expect((await registerAppliance(key)).status).toBe(201);
  });

  it("refuse a key that was already used", async () => {
    const key = await newKey();
    expect((await registerAppliance(key)).status).toBe(201);
    const before = await applianceCount();
    expect(refusal(await registerAppliance(key))).toEqual([401, "RegistrationKeyUsed"]);
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

  it("refuse a key past its five days", async () => {
    // The API cannot mint an old key and the host's clock is its own: age the key's row instead.
    const key = await newKey();
    const keyId = key.slice(0, key.indexOf("."));
    const table = TableClient.fromConnectionString(inject("storageConnectionString"), "FerryRegistrationKeys", {
      allowInsecureConnection: true,
    });
    await table.updateEntity(
      { partitionKey: keyId, rowKey: "key", expiresAt: new Date(Date.now() - 1000).toISOString() },
      "Merge",
    );
    expect(refusal(await registerAppliance(key))).toEqual([401, "RegistrationKeyExpired"]);
  });
});

describe("appliance passphrases", () => {
  it("refuse a wrong or malformed passphrase", async () => {
    const { passphrase } = await setUpProject(ferry.api);
    const send = (value: string) =>
      ferry.api.post<ApiError>(
        "/agent/register",
        { passphrase: value, machine: facts(uniqueHostname()) },
        { authorization: null },
      );
    expect(refusal(await send(wrongSecret(passphrase)))).toEqual([401, "InvalidPassphrase"]);
    expect(refusal(await send("pp_nothing-like-a-passphrase"))).toEqual([401, "InvalidPassphrase"]);
  });
});

describe("the operator key", () => {
  const routes = () => [
    ["GET", "/projects"],
    ["POST", "/projects"],
    ["GET", `/projects/${projectId}`],
    ["POST", `/projects/${projectId}/registration-keys`],
    ["GET", `/projects/${projectId}/machines`],
    ["GET", `/projects/${projectId}/policies`],
    ["GET", `/projects/${projectId}/replicating-servers`],
    ["GET", `/projects/${projectId}/jobs`],
    ["POST", `/projects/${projectId}/replications`],
  ];

  it("is required on every operator route, refused when wrong, and answered with 401 Unauthorized", async () => {
    const wrong = `Bearer ${wrongSecret(ferry.api.operatorKey)}`;
    for (const authorization of [null, wrong, `Basic ${ferry.api.operatorKey}`, "Bearer"]) {
      for (const [method, path] of routes()) {
        const reply = await ferry.api.request<ApiError>(method, path, {
          authorization,
          ...(method === "POST" ? { body: {} } : {}),
        });
        expect([method, path, ...refusal(reply)]).toEqual([method, path, 401, "Unauthorized"]);
      }
    }
  });

  it("lets nothing through without it: a refused create leaves no project", async () => {
    const name = `nokey-${Date.now()}`;
    await ferry.api.post(
      "/projects",
      { name, geography: "Europe", targetRegion: "westeurope" },
      { authorization: null },
    );
    const list = await ferry.api.expect<{ value: { name: string }[] }>(ferry.api.get("/projects"), 200);
    expect(list.value.map((p) => p.name)).not.toContain(name);
  });

  it("and the registration keys never reach a table, the host log or an error body", async () => {
    const secrets = Object.fromEntries([
      ...keysSeen.map((k, i) => [`registrationKey${i}`, secretPart(k)]),
      ["operatorKey", ferry.api.operatorKey],
    ]);
    const places = [
      ...(await storedTexts(inject("storageConnectionString"))),
      { where: "host output", text: ferry.host.output() },
      ...ferry.api.errorTexts.map((text, i) => ({ where: `error body ${i}`, text })),
    ];
    expect(findLeaks(places, secrets)).toEqual([]);
  });
});

// Threat (defect 8): in Entra mode, a caller that sends App Service Authentication's
// x-ms-client-principal-* headers without a token. Headers never authenticate: only a bearer token the
// app validates itself does, so the request is refused 401 and nothing is made.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startFerry, type RunningFerry } from "../support/ferryApi";
import { startEntraIssuer, type EntraIssuer } from "../support/entraIssuer";
import { rowsMentioning } from "../support/stateSnapshot";

const storage = inject("storageConnectionString");
let issuer: EntraIssuer;
let ferry: RunningFerry;

beforeAll(async () => {
  issuer = await startEntraIssuer(randomUUID(), randomUUID());
  ferry = await startFerry(storage, {
    env: {
      FERRY_AUTH_MODE: "entra",
      FERRY_ENTRA_TENANT_ID: issuer.tenantId,
      FERRY_ENTRA_AUDIENCE: issuer.clientId,
      FERRY_ENTRA_JWKS_URL: issuer.jwksUrl,
    },
  });
});
afterAll(async () => {
  await ferry?.stop();
  await issuer?.stop();
});

const principalHeaders = (roles: string[]) => ({
  "x-ms-client-principal-id": randomUUID(),
  "x-ms-client-principal-name": "mallory@contoso.com",
  "x-ms-client-principal-idp": "aad",
  "x-ms-client-principal": Buffer.from(
    JSON.stringify({ auth_typ: "aad", claims: roles.map((role) => ({ typ: "roles", val: role })) }),
  ).toString("base64"),
});

describe("Entra mode, given App Service Authentication's principal headers and no token", () => {
  it("refuses them beside a bearer that is no token, for a read and a write: 401, and no project is made", async () => {
    const name = `headers-${randomBytes(4).toString("hex")}`;
    const options = { authorization: "Bearer not-a-token", headers: principalHeaders(["Ferry.Owner"]) };
    const list = await ferry.api.get<{ error: { code: string } }>("/projects", options);
    const create = await ferry.api.post<{ error: { code: string } }>(
      "/projects",
      { name, geography: "Europe", targetRegion: "westeurope" },
      options,
    );
    expect([list.status, list.body.error.code]).toEqual([401, "Unauthorized"]);
    expect([create.status, create.body.error.code]).toEqual([401, "Unauthorized"]);
    expect(await rowsMentioning(storage, [name])).toEqual([]);
  });

  it("refuses them alone, with no Authorization header: 401", async () => {
    const reply = await ferry.api.get<{ error: { code: string } }>("/projects", {
      authorization: null,
      headers: principalHeaders(["Ferry.Owner"]),
    });
    expect([reply.status, reply.body.error.code]).toEqual([401, "Unauthorized"]);
  });

  it("lets the same call through with a valid token, headers or not", async () => {
    const token = await issuer.token({ roles: ["Ferry.Reader"] });
    const reply = await ferry.api.get("/projects", { authorization: `Bearer ${token}` });
    expect(reply.status).toBe(200);
  });
});

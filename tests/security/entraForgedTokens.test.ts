// Threat (defect 8): a bearer token Entra ID did not issue for this app — forged (signed with another
// key under the published key's id), expired, for another audience, from another issuer, or unsigned
// (`alg: none`). Each is refused 401 and changes nothing; a valid token is honoured by its app role
// (Ferry.Reader, Ferry.Contributor, Ferry.Owner over every project), and project keys work here too.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";
import { startEntraIssuer, unsignedToken, type EntraIssuer } from "../support/entraIssuer";
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

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const owner = { roles: ["Ferry.Owner"] };

async function createProject(token: string) {
  const name = `entra-${randomBytes(4).toString("hex")}`;
  const reply = await ferry.api.post<ApiError & { id: string }>(
    "/projects",
    { name, geography: "Europe", targetRegion: "westeurope" },
    bearer(token),
  );
  return { name, reply };
}

describe("an Entra ID token that is not valid for this app", () => {
  const cases: [string, () => Promise<string>][] = [
    ["forged: signed with another key under the tenant's key id", () => issuer.token(owner, { forged: true })],
    ["expired (beyond the clock tolerance)", () => issuer.token(owner, { expiresIn: -600 })],
    ["for another audience", () => issuer.token(owner, { audience: randomUUID() })],
    [
      "from another tenant's issuer",
      () => issuer.token(owner, { issuer: `https://login.microsoftonline.com/${randomUUID()}/v2.0` }),
    ],
    [
      "unsigned (alg: none)",
      async () =>
        unsignedToken({
          iss: `https://login.microsoftonline.com/${issuer.tenantId}/v2.0`,
          aud: issuer.clientId,
          exp: Math.floor(Date.now() / 1000) + 3600,
          ...owner,
        }),
    ],
    [
      "altered after signing (Ferry.Owner put in a Reader's token)",
      async () => {
        const [head, payload, signature] = (await issuer.token({ roles: ["Ferry.Reader"] })).split(".");
        const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as object;
        return `${head}.${Buffer.from(JSON.stringify({ ...claims, ...owner })).toString("base64url")}.${signature}`;
      },
    ],
  ];

  it.each(cases)("is refused 401 Unauthorized when %s, and makes no project", async (_, make) => {
    const { name, reply } = await createProject(await make());
    expect([reply.status, reply.body.error.code]).toEqual([401, "Unauthorized"]);
    expect(await rowsMentioning(storage, [name])).toEqual([]);
  });
});

describe("a valid Entra ID token", () => {
  it("with Ferry.Owner creates a project and operator keys in it", async () => {
    const token = await issuer.token(owner);
    const { reply } = await createProject(token);
    expect(reply.status, reply.text).toBe(201);
    const key = await ferry.api.post(
      `/projects/${reply.body.id}/operator-keys`,
      { name: "from-entra", role: "Reader" },
      bearer(token),
    );
    expect(key.status, key.text).toBe(201);
    expect(await ferry.api.expect(ferry.api.get("/whoami", bearer(token)), 200)).toEqual({ role: "Owner" });
  });

  it("with Ferry.Contributor operates in every project but creates no project and no operator key", async () => {
    const projectId = (await createProject(await issuer.token(owner))).reply.body.id;
    const token = await issuer.token({ roles: ["Ferry.Contributor"] });
    expect((await ferry.api.post(`/projects/${projectId}/registration-keys`, {}, bearer(token))).status).toBe(201);
    const before = await rowsMentioning(storage, [projectId]);
    const key = await ferry.api.post<ApiError>(
      `/projects/${projectId}/operator-keys`,
      { name: "x", role: "Reader" },
      bearer(token),
    );
    const { name, reply } = await createProject(token);
    expect([key.status, key.body.error.code, reply.status, reply.body.error.code]).toEqual([
      403,
      "Forbidden",
      403,
      "Forbidden",
    ]);
    expect(await rowsMentioning(storage, [projectId, name])).toEqual(before);
  });

  it("with Ferry.Reader reads every project and changes nothing", async () => {
    const projectId = (await createProject(await issuer.token(owner))).reply.body.id;
    const token = await issuer.token({ roles: ["Ferry.Reader"] });
    expect((await ferry.api.get(`/projects/${projectId}/machines`, bearer(token))).status).toBe(200);
    const before = await rowsMentioning(storage, [projectId]);
    const refused = await ferry.api.post<ApiError>(`/projects/${projectId}/registration-keys`, {}, bearer(token));
    expect([refused.status, refused.body.error.code]).toEqual([403, "Forbidden"]);
    expect(await rowsMentioning(storage, [projectId])).toEqual(before);
  });

  it("without a Ferry app role is refused 403 Forbidden", async () => {
    const { name, reply } = await createProject(await issuer.token({ roles: ["Other.Admin"] }));
    expect([reply.status, reply.body.error.code]).toEqual([403, "Forbidden"]);
    expect(await rowsMentioning(storage, [name])).toEqual([]);
  });

  it("is accepted as a version 1 token (sts.windows.net issuer, api://<client id> audience)", async () => {
    const token = await issuer.token(
      { roles: ["Ferry.Reader"] },
      { issuer: `https://sts.windows.net/${issuer.tenantId}/`, audience: `api://${issuer.clientId}` },
    );
    expect((await ferry.api.get("/projects", bearer(token))).status).toBe(200);
  });

  it("is checked against signing keys fetched once, not once per request", async () => {
    const token = await issuer.token({ roles: ["Ferry.Reader"] });
    await ferry.api.get("/projects", bearer(token));
    const fetched = issuer.fetches();
    for (let i = 0; i < 5; i++) expect((await ferry.api.get("/projects", bearer(token))).status).toBe(200);
    expect(issuer.fetches()).toBe(fetched);
  });
});

describe("a project's operator key in Entra mode", () => {
  it("works with its role in its project only", async () => {
    const projectId = (await createProject(await issuer.token(owner))).reply.body.id;
    const other = (await createProject(await issuer.token(owner))).reply.body.id;
    const created = await ferry.api.expect<{ key: string }>(
      ferry.api.post(
        `/projects/${projectId}/operator-keys`,
        { name: "ops", role: "Contributor" },
        bearer(await issuer.token(owner)),
      ),
      201,
    );
    expect((await ferry.api.post(`/projects/${projectId}/registration-keys`, {}, bearer(created.key))).status).toBe(
      201,
    );
    expect((await ferry.api.get(`/projects/${other}`, bearer(created.key))).status).toBe(404);
  });
});

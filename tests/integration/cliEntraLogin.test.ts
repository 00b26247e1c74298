// `ferry login --entra` against a host in Entra mode: the CLI gets its tokens from @azure/identity
// (here its managed identity source, the App Service endpoint, served by a stand-in that hands out
// tokens signed by a stand-in tenant), saves a profile with no secret in it, and the API honours the
// token's app role; a token the API refuses saves nothing.
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import * as z from "zod";
import { projectSchema } from "../../shared/api/projects";
import { removeTempDirs, tempDir } from "../support/agentCli";
import { startEntraIssuer, type EntraIssuer } from "../support/entraIssuer";
import { startFakeManagedIdentity, type FakeManagedIdentity } from "../support/fakeManagedIdentity";
import { startFerry, type RunningFerry } from "../support/ferryApi";
import { FerryCli } from "../support/ferryCli";

let issuer: EntraIssuer;
let ferry: RunningFerry;
const identities: FakeManagedIdentity[] = [];

beforeAll(async () => {
  issuer = await startEntraIssuer(randomUUID(), randomUUID());
  ferry = await startFerry(inject("storageConnectionString"), {
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
  for (const identity of identities) await identity.stop();
  removeTempDirs();
});

const loginResult = z.object({ profile: z.string(), server: z.string(), configFile: z.string(), projects: z.number() });

/** A CLI whose only way to a token is a managed identity that issues `token` for any resource. */
async function cliWithIdentity(token: (resource: string) => Promise<string>) {
  const identity = await startFakeManagedIdentity(token);
  identities.push(identity);
  // Nothing of the test runner's own credentials or Ferry settings reaches the CLI.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(FERRY_|AZURE_|IDENTITY_|MSI_)/.test(name)),
  );
  const cli = new FerryCli({ ...env, ...identity.env, FERRY_CONFIG_DIR: path.join(tempDir("ferry-entra-"), "cfg") });
  return { cli, identity };
}

const audience = () => `api://${issuer.clientId}`;
const login = (cli: FerryCli, extra: string[] = []) =>
  cli.run(["login", "--server", ferry.api.origin, "--entra", "--audience", audience(), ...extra]);

describe("ferry login --entra", () => {
  it("saves a profile holding no secret, and operates with the Entra ID token's Owner role", async () => {
    const { cli, identity } = await cliWithIdentity((resource) =>
      issuer.token({ roles: ["Ferry.Owner"] }, { audience: resource }),
    );
    const saved = loginResult.parse(JSON.parse((await login(cli, ["-o", "json"])).stdout));
    expect(saved.server).toBe(ferry.api.origin);
    const token = identity.tokenFor(audience());
    expect(token, "the CLI asked the managed identity for the API's audience").toMatch(/^ey/);
    const file = fs.readFileSync(saved.configFile, "utf8");
    expect(file).toContain(audience());
    expect(file).not.toContain(token!);
    expect(JSON.parse(file)).not.toHaveProperty(["profiles", "default", "key"]);
    expect(fs.statSync(saved.configFile).mode & 0o777).toBe(0o600);

    const name = `entra-cli-${randomUUID().slice(0, 6)}`;
    const args = ["project", "create", "--name", name, "--geography", "Europe", "--target-region", "westeurope"];
    const created = await cli.json(projectSchema, args);
    expect(created.name).toBe(name);
    expect((await cli.json(z.array(projectSchema), ["project", "list"])).map((p) => p.id)).toContain(created.id);
  });

  it("with a Reader token lists projects and is refused a change with error Forbidden, exit 1", async () => {
    const { cli } = await cliWithIdentity((resource) =>
      issuer.token({ roles: ["Ferry.Reader"] }, { audience: resource }),
    );
    expect((await login(cli)).code).toBe(0);
    const name = `by-reader-${Date.now()}`;
    const before = await cli.json(z.array(projectSchema), ["project", "list"]);
    expect(before.length).toBeGreaterThan(0);
    const args = ["project", "create", "--name", name, "--geography", "Europe", "--target-region", "westeurope"];
    const refused = await cli.run(args);
    expect([refused.code, refused.stdout]).toEqual([1, ""]);
    expect(refused.stderr).toMatch(/^error Forbidden: /);
    // Other files create projects in the same storage meanwhile: the refusal made no project of its own.
    const after = await cli.json(z.array(projectSchema), ["project", "list"]);
    expect(after.filter((project) => project.name === name)).toEqual([]);
  });

  it("saves nothing when the API refuses the token, exit 1 with error Unauthorized", async () => {
    const { cli } = await cliWithIdentity((resource) =>
      issuer.token({ roles: ["Ferry.Owner"] }, { audience: resource, forged: true }),
    );
    const refused = await login(cli);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error Unauthorized: /);
    expect(fs.existsSync(path.join(cli.env.FERRY_CONFIG_DIR!, "config.json"))).toBe(false);
  });

  it("needs the API's audience: without --audience it is a usage error, exit 2", async () => {
    const { cli } = await cliWithIdentity((resource) => issuer.token({}, { audience: resource }));
    const result = await cli.run(["login", "--server", ferry.api.origin, "--entra"]);
    expect([result.code, result.stderr]).toEqual([2, expect.stringContaining("--entra needs --audience")]);
  });
});

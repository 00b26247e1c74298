import { describe, expect, it } from "vitest";
import { metricsSampleSchedule, readConfig } from "../../shared/config";
import { contentSecurityPolicy } from "../../shared/portal/contentSecurityPolicy";
import { mayAct } from "../../shared/domain/operatorRoles";
import { shownOperations } from "../../portal/app/operations";

const directives = (policy: string) =>
  Object.fromEntries(policy.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]));

describe("the portal page's Content-Security-Policy", () => {
  it("allows only the app's own scripts, styles and API, nothing inline, and no framing", () => {
    const policy = directives(contentSecurityPolicy());
    expect(policy).toMatchObject({
      "default-src": "'self'",
      "script-src": "'self'",
      "style-src": "'self'",
      "connect-src": "'self'",
      "frame-src": "'none'",
      "frame-ancestors": "'none'",
      "object-src": "'none'",
    });
    expect(contentSecurityPolicy()).not.toMatch(/unsafe|\*/);
  });

  it("adds the one Entra ID sign-in host in Entra mode, for token requests and silent renewal", () => {
    const policy = directives(contentSecurityPolicy("https://login.microsoftonline.com"));
    expect(policy["connect-src"]).toBe("'self' https://login.microsoftonline.com");
    expect(policy["frame-src"]).toBe("https://login.microsoftonline.com");
    expect(policy["script-src"]).toBe("'self'");
  });
});

describe("the metrics sampling period", () => {
  it("is a minute by default, and a setting that divides a minute or an hour", () => {
    expect(metricsSampleSchedule({})).toBe("0 */1 * * * *");
    expect(metricsSampleSchedule({ FERRY_METRICS_SAMPLE_SECONDS: "5" })).toBe("*/5 * * * * *");
    expect(metricsSampleSchedule({ FERRY_METRICS_SAMPLE_SECONDS: "300" })).toBe("0 */5 * * * *");
    for (const bad of ["7", "90", "0", "1.5", "soon"])
      expect(() => metricsSampleSchedule({ FERRY_METRICS_SAMPLE_SECONDS: bad }), bad).toThrow(
        /FERRY_METRICS_SAMPLE_SECONDS/,
      );
  });
});

describe("Entra ID sign-in settings", () => {
  const clientId = "11111111-2222-3333-4444-555555555555";
  const entra = (env: Record<string, string>) =>
    readConfig({
      AzureWebJobsStorage: "UseDevelopmentStorage=true",
      FERRY_KEY_VAULT_URL: "https://vault.example",
      FERRY_AUTH_MODE: "entra",
      FERRY_ENTRA_TENANT_ID: "tenant",
      ...env,
    }).auth.entra;

  it("take the portal's client id from the audience when none is set: the client id itself, or api://<client id>", () => {
    for (const audience of [clientId, `api://${clientId}`])
      expect(entra({ FERRY_ENTRA_AUDIENCE: audience })).toMatchObject({
        clientId,
        authorityHost: "login.microsoftonline.com",
      });
    expect(entra({ FERRY_ENTRA_AUDIENCE: "api://ferry" })?.clientId).toBeUndefined();
    expect(entra({ FERRY_ENTRA_AUDIENCE: "api://ferry", FERRY_ENTRA_CLIENT_ID: clientId })?.clientId).toBe(clientId);
  });
});

describe("the portal's action buttons", () => {
  const item = { allowedOperations: ["DisableMigration", "TestMigrate", "PauseReplication", "Migrate"] as const };

  it("are the item's allowed operations, in the portal's order, for a role that may act", () => {
    expect(shownOperations("Administrator", { allowedOperations: [...item.allowedOperations] })).toEqual([
      "TestMigrate",
      "Migrate",
      "DisableMigration",
      "PauseReplication",
    ]);
    expect(shownOperations("Contributor", { allowedOperations: [] })).toEqual([]);
  });

  it("are none at all for a Reader, whatever the item allows", () => {
    expect(mayAct("Reader")).toBe(false);
    expect(shownOperations("Reader", { allowedOperations: [...item.allowedOperations] })).toEqual([]);
  });
});

// The template and the code must agree: every setting the code reads in Azure is set by
// infra/modules/ferry.bicep (or documented as optional in infra/README.md), and every action in
// the README's table of Resource Manager operations is granted by the roles the template assigns.
// The Bicep is read as text: neither Bicep nor azd runs here.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { settingUses } from "../../shared/config";
import { grants } from "../../shared/domain/armActions";
import { storageAccountActions, targetGroupActions } from "../../shared/target/azureTargetActions";

const root = path.resolve(__dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");
const ferryBicep = read("infra/modules/ferry.bicep");
const readme = read("infra/README.md");
const customRoles = JSON.parse(read("infra/customRoles.json")) as Record<string, { actions: string[] }>;

/** `{ name: 'X', value: ... }` entries of the app's appSettings, as name → value expression. */
function appSettings(): Map<string, string> {
  const block = /appSettings: \[([\s\S]*?)\n\s*\]/.exec(ferryBicep)?.[1] ?? "";
  return new Map([...block.matchAll(/\{ name: '([^']+)', value: (.+?) \}/g)].map((m) => [m[1]!, m[2]!]));
}

/** Settings named in backticks in the first column of the README's "optional setting" table. */
function documentedOptional(): string[] {
  const table = readme.slice(readme.indexOf("| optional setting |"));
  return [...table.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]!);
}

/** The README's operations table: each row's action and where it is checked. */
function operationsTable(): { action: string; scope: string }[] {
  const table = readme.slice(readme.indexOf("| provider step |"));
  return [...table.matchAll(/^\|[^|]+\|[^|]+\| `([A-Za-z./*]+)` \| ([^|]+) \|$/gm)].map((m) => ({
    action: m[1]!,
    scope: m[2]!.trim(),
  }));
}

describe("the template sets what the code reads in Azure", () => {
  it("lists in settingUses exactly the settings config.ts reads", () => {
    const source = read("shared/config.ts");
    const reads = new Set([
      ...[...source.matchAll(/\benv\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!),
      ...[...source.matchAll(/\(env, "([A-Za-z_][A-Za-z0-9_]*)"/g)].map((m) => m[1]!),
    ]);
    expect([...reads].sort()).toEqual(Object.keys(settingUses).sort());
  });

  it("sets every required setting, sets or documents every optional one, and no local-only one", () => {
    const set = appSettings();
    const optional = documentedOptional();
    for (const [name, use] of Object.entries(settingUses)) {
      if (use === "required") expect(set.has(name), `${name} is required in Azure`).toBe(true);
      if (use === "optional")
        expect(set.has(name) || optional.includes(name), `${name} is neither set nor documented`).toBe(true);
      if (use === "localOnly") expect(set.has(name), `${name} is local only`).toBe(false);
    }
  });

  it("sets nothing the code does not read", () => {
    expect([...appSettings().keys()].filter((name) => !(name in settingUses))).toEqual([]);
  });

  it("sends Ferry's telemetry to the Application Insights it makes", () => {
    expect(appSettings().get("APPLICATIONINSIGHTS_CONNECTION_STRING")).toBe("monitoring.outputs.connectionString");
    expect(appSettings().get("FERRY_TELEMETRY")).toBe("'azure'");
  });

  it("targets Azure with the storage account's own id and signs operators in with Entra ID", () => {
    const set = appSettings();
    expect(set.get("FERRY_TARGET_PROVIDER")).toBe("'azure'");
    expect(set.get("FERRY_AUTH_MODE")).toBe("'entra'");
    expect(set.get("FERRY_TARGET_STORAGE_ACCOUNT_ID")).toBe("storage.id");
    expect(set.get("AzureWebJobsStorage__accountName")).toBe("storage.name");
  });

  it("runs Node 22 in Azure, a version package.json engines supports along with Node 20", () => {
    expect(ferryBicep).toMatch(/runtime: \{ name: 'node', version: '22' \}/);
    const engines = (JSON.parse(read("package.json")) as { engines: { node: string } }).engines.node;
    expect(engines).toMatch(/\^20\.\d+\.\d+ \|\| \^22\.\d+\.\d+/);
  });

  it("passes every parameter without a default from the azd environment", () => {
    const main = read("infra/main.bicep");
    const required = [...main.matchAll(/^param (\w+) \w+$/gm)].map((m) => m[1]!);
    const parameters = JSON.parse(read("infra/main.parameters.json")) as { parameters: Record<string, unknown> };
    expect(required.filter((name) => !(name in parameters.parameters))).toEqual([]);
  });
});

describe("the template keeps data keys wrapped and leaves tokens to the app", () => {
  it("creates the key-encryption key the app names, for wrapKey and unwrapKey only", () => {
    expect(ferryBicep).toMatch(
      /resource dataKek 'Microsoft\.KeyVault\/vaults\/keys@[\d-]+' = \{\s*parent: vault\s*name: 'ferry-data-kek'/,
    );
    expect(ferryBicep).toMatch(/kty: 'RSA'\s*keySize: 3072\s*keyOps: \['wrapKey', 'unwrapKey'\]/);
    expect(appSettings().get("FERRY_KEY_ENCRYPTION_KEY_NAME")).toBe("dataKek.name");
  });

  it("lets the app use that one key with Key Vault Crypto User, and the README says so", () => {
    expect(ferryBicep).toContain("keyVaultCryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424'");
    expect(ferryBicep).toMatch(/resource kekRole [^{]+\{[^}]*scope: dataKek[^}]*roles\.keyVaultCryptoUser/);
    expect(readme).toMatch(/^\| Key Vault Crypto User \| the key `ferry-data-kek` only \|/m);
  });

  it("turns no App Service Authentication on: the app validates Entra ID tokens itself", () => {
    expect(ferryBicep).not.toContain("authsettingsV2");
    expect(ferryBicep).not.toContain("x-ms-client-principal");
  });
});

describe("the roles the template assigns grant what the provider's calls need", () => {
  const rows = operationsTable();
  const actionsAt = (scope: string) => [...new Set(rows.filter((r) => r.scope === scope).map((r) => r.action))];

  it("grants every target-group action of the README's table with the role assigned in each target group", () => {
    expect(rows.length).toBeGreaterThan(10);
    const role = { actions: customRoles.targetGroup!.actions };
    expect(actionsAt("target group").filter((action) => !grants(role, action))).toEqual([]);
  });

  it("grants the storage account's actions with the role assigned on Ferry's own account", () => {
    const role = { actions: customRoles.diskImportSource!.actions };
    expect(actionsAt("Ferry's storage account").filter((action) => !grants(role, action))).toEqual([]);
  });

  it("has the enable-time check ask Resource Manager for exactly the table's actions", () => {
    expect([...targetGroupActions].sort()).toEqual(actionsAt("target group").sort());
    expect([...storageAccountActions].sort()).toEqual(actionsAt("Ferry's storage account").sort());
  });

  it("assigns the target role in every target resource group, and the import role on the storage account", () => {
    const main = read("infra/main.bicep");
    const groupRoles = read("infra/modules/targetGroupRoles.bicep");
    expect(main).toMatch(/module targetRoles 'modules\/targetGroupRoles\.bicep' = \[\s*for (\w+) in targetGroups:/);
    expect(main).toMatch(/scope: resourceGroup\(targetSubscription, targetGroup\)/);
    expect(main).toMatch(/params: \{ principalId: ferry\.outputs\.principalId \}/);
    expect(groupRoles).toContain("loadJsonContent('../customRoles.json').targetGroup");
    expect(groupRoles).toMatch(/assignableScopes: \[resourceGroup\(\)\.id\]/);
    expect(ferryBicep).toContain("customRoles.diskImportSource.actions");
    expect(ferryBicep).toMatch(/resource diskImportRole [^{]+\{[^}]*scope: storage/);
  });
});

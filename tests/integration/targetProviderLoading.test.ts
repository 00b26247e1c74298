// The Azure target provider is chosen by configuration but loaded on first use: a host that
// never creates a VM in Azure does not carry the Resource Manager SDKs.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { repoRoot } from "../support/hostProcess";

// Runs against the compiled code in a fresh process, so the module cache shows what was loaded.
const probe = `
const { createTargetProvider } = require(${JSON.stringify(path.join(repoRoot, "dist/shared/target/createTargetProvider.js"))});
const armLoaded = () => Object.keys(require.cache).some((file) => file.includes("@azure/arm-compute"));
const provider = createTargetProvider(
  { provider: "azure", subscriptionId: "00000000-0000-0000-0000-00000000feed", storageAccountId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/z" },
  { storage: { kind: "connectionString", connectionString: process.env.STORAGE }, credential: () => ({ getToken: async () => null }), now: () => new Date() });
const before = armLoaded();
provider.listVirtualMachines("prj_notthere").then((listed) => console.log(JSON.stringify({ before, listed, after: armLoaded() })));
`;

describe("choosing the Azure target provider", () => {
  it("loads the Resource Manager SDKs only when a target call needs them, then answers from the Azure provider", () => {
    const out = execFileSync(process.execPath, ["-e", probe], {
      env: { ...process.env, STORAGE: inject("storageConnectionString") },
      encoding: "utf8",
    });
    expect(JSON.parse(out.trim().split("\n").at(-1) ?? "{}")).toEqual({ before: false, listed: [], after: true });
  });
});

// A recovery plan made and drilled in a real Chromium against a real host and two real agents:
// two groups with a manual check between them, the job waiting with its instructions, resumed
// with a comment, both test VMs' disks compared with their sources, a refusal naming its
// items, cleanup and delete. Each blade is checked by axe-core and saved as a screenshot.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { routes } from "../../client";
import { passphraseFile, removeTempDirs, runAgentCli, tempDir } from "../support/agentCli";
import { fastRunEnv, MiB, startAgent, writeSourceImage, type RunningAgent } from "../support/agentRunKit";
import { launchChromium, openPortal, type PortalPage } from "../support/browser";
import { setUpProject, startFerry, target, waitForJob, type RunningFerry } from "../support/ferryApi";
import { sha256 } from "../support/lifecycleKit";
import { checkBlade, goTo, gridRow, unexpectedProblems } from "../support/portalSteps";

const wait = { timeout: 60_000 };
const instructions = "Check that the database answers on port 5432.";
const servers = ["db01", "web01"] as const;
type Server = (typeof servers)[number];

let ferry: RunningFerry;
let browser: Browser;
let portal: PortalPage;
const agents: RunningAgent[] = [];
const dir = tempDir("ferry-portal-plans-");
const disk = (server: Server) => path.join(dir, `${server}.img`);

beforeAll(async () => {
  [ferry, browser] = await Promise.all([
    startFerry(inject("storageConnectionString"), { env: { FERRY_CYCLE_INTERVAL_SECONDS: "2" } }),
    launchChromium(),
    writeSourceImage(disk("db01"), 3 * MiB, [[MiB, 2 * MiB]]),
    writeSourceImage(disk("web01"), 2 * MiB),
  ]);
  portal = await openPortal(browser, ferry.host.origin);
});
afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.kill()));
  await browser?.close();
  await ferry?.stop();
  removeTempDirs();
});

const blade = (name: string) => checkBlade(portal.page, name);
const go = (link: string, heading: string) => goTo(portal.page, link, heading);

/** A source registered by its real agent and replicating: what the plan is made of (set up over the API). */
async function replicatingSource(projectId: string, passphrase: string, server: Server): Promise<void> {
  const stateDir = path.join(dir, `${server}-state`);
  const registered = await runAgentCli([
    ...["register", "--server", `${ferry.host.origin}/api`, "--passphrase-file", passphraseFile(dir, passphrase)],
    ...["--state-dir", stateDir, "--disk", disk(server), "--hostname", server, "--shutdown-command", "true"],
  ]);
  expect(registered.code, registered.stderr).toBe(0);
  const project = ferry.api.client.project(projectId);
  const machine = (await project.listAll(routes.listMachines)).find((m) => m.hostname === server);
  const [policy] = await project.listAll(routes.listPolicies);
  const started = await project.call(routes.enableReplication, {
    body: { machineId: machine!.id, policyId: policy!.id, target },
  });
  await waitForJob(ferry.api, projectId, started.job.id);
  agents.push(startAgent(stateDir, fastRunEnv));
}

async function signInAndWatchSeeding(projectName: string): Promise<void> {
  const { page } = portal;
  await page.getByLabel("Operator key").fill(ferry.api.operatorKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("table", { name: "Projects" }).getByRole("link", { name: projectName }).click();
  await go("Replicating servers", "Replicating servers");
  for (const server of servers) {
    const row = gridRow(page, "Replicating servers", server);
    await row.getByRole("cell", { name: "Replicating", exact: true }).waitFor(wait);
    await row.getByText("Normal").waitFor(wait);
  }
}

async function fillGroup(group: Locator, name: string, server: Server, manual?: string): Promise<void> {
  await group.getByLabel("Group name").fill(name);
  await group.getByRole("group", { name: "Servers" }).getByLabel(server, { exact: true }).check();
  if (manual) await group.getByLabel("Manual action after the group").fill(manual);
}

async function createPlan(): Promise<void> {
  const { page } = portal;
  await go("Recovery plans", "Recovery plans");
  await page.getByText("No recovery plan yet.").waitFor();
  await page.getByLabel("Plan name").fill("shop");
  await page.getByLabel("Description").fill("The shop: its database first, then its web server.");
  await fillGroup(page.getByRole("group", { name: "Group 1" }), "db", "db01", instructions);
  await page.getByRole("button", { name: "Add group" }).click();
  const second = page.getByRole("group", { name: "Group 2" });
  // An item is in one group of a plan: the second group is offered only the server left.
  expect(await second.getByRole("group", { name: "Servers" }).getByRole("checkbox").count()).toBe(1);
  await fillGroup(second, "web", "web01");
  await blade("plans-01-create-form");
  await page.getByRole("button", { name: "Create plan" }).click();
  const secret = page.getByRole("status", { name: "Webhook signing secret" });
  await secret.waitFor();
  expect(((await secret.textContent()) ?? "").length).toBeGreaterThanOrEqual(32);
  const plan = gridRow(page, "Recovery plans", "shop");
  await plan.getByRole("cell", { name: "db, web" }).waitFor();
  await plan.getByRole("cell", { name: "2", exact: true }).waitFor();
  await blade("plans-02-created");
}

/** The plan's blade: its two groups, each server's state, and the manual check after the first group. */
async function seePlan(): Promise<void> {
  const { page } = portal;
  await page.getByRole("heading", { level: 1, name: "Recovery plan: shop" }).waitFor();
  for (const [group, server] of [
    ["db", "db01"],
    ["web", "web01"],
  ] as const)
    await gridRow(page, `Servers of ${group}`, server)
      .getByRole("cell", { name: "Replicating", exact: true })
      .waitFor();
  await page.getByText(`After the group: Manual check (manual): ${instructions}`).waitFor();
}

async function openPlan(): Promise<void> {
  await gridRow(portal.page, "Recovery plans", "shop").getByRole("link", { name: "shop", exact: true }).click();
  await seePlan();
}

/** Opens one of the plan's operations and confirms with the button named as it; the dialog. */
async function planOperation(name: string, fill?: (dialog: Locator) => Promise<void>): Promise<Locator> {
  await portal.page.getByRole("button", { name, exact: true }).click();
  const dialog = portal.page.getByRole("dialog", { name: `${name}: shop` });
  await dialog.waitFor();
  await fill?.(dialog);
  await dialog.getByRole("button", { name, exact: true }).click();
  return dialog;
}

async function drillWaitsForTheCheck(): Promise<void> {
  const { page } = portal;
  await openPlan();
  await blade("plans-03-plan");
  const dialog = await planOperation("Test migrate", (d) => d.getByLabel("Network").fill("test-vnet"));
  await dialog.waitFor({ state: "detached" });
  await page.getByRole("link", { name: "Recovery plan test migration: shop" }).first().click();
  await page.getByRole("heading", { level: 1, name: "Job: Recovery plan test migration: shop" }).waitFor();
  const waiting = page.getByRole("region", { name: "Waiting for an action: Group 1 (db): after: Manual check" });
  await waiting.getByText(instructions).waitFor(wait);
  const tasks = (name: string) => gridRow(page, "Tasks", name);
  await tasks("Group 1 (db): db01").getByRole("cell", { name: "Succeeded", exact: true }).waitFor();
  await tasks("Group 1 (db): after: Manual check")
    .getByRole("cell", { name: "Waiting for action", exact: true })
    .waitFor();
  await tasks("Group 2 (web): web01").getByRole("cell", { name: "Not started", exact: true }).waitFor();
  await blade("plans-04-job-waiting");
  await waiting.getByLabel("Comment").fill("database answers");
  await waiting.getByRole("button", { name: "Resume" }).click();
  for (const task of ["Group 1 (db)", "Group 1 (db): db01", "Group 2 (web)", "Group 2 (web): web01"])
    await tasks(task).getByRole("cell", { name: "Succeeded", exact: true }).waitFor(wait);
  const check = tasks("Group 1 (db): after: Manual check");
  await check.getByRole("cell", { name: "Succeeded", exact: true }).waitFor();
  await check.getByText("Comment: database answers").waitFor();
  await page.getByRole("definition").getByText("Succeeded", { exact: true }).waitFor(wait);
  await expect.poll(() => waiting.count()).toBe(0);
  await blade("plans-05-job-succeeded");
}

/** A migration before the drill is cleaned up: the API's refusal, and each server it names. */
async function refusedMigration(): Promise<void> {
  const { page } = portal;
  await page.getByRole("link", { name: "The plan" }).click();
  await seePlan();
  const dialog = await planOperation("Migrate", async (d) => {
    expect(await d.getByLabel("Shut down source").isChecked()).toBe(true);
  });
  await expect
    .poll(() => dialog.getByRole("alert").textContent())
    .toMatch(/^Migrate was refused: .+OperationNotAllowed$/);
  const blocking = dialog.getByRole("list", { name: "Items that block it" }).getByRole("listitem");
  expect(await blocking.allTextContents()).toEqual(
    servers.map((s) => expect.stringMatching(new RegExp(`^${s}: the test migration .+ has not been cleaned up`))),
  );
  await blade("plans-06-migrate-refused");
  await dialog.getByRole("button", { name: "Close" }).click();
}

async function testVmsMatchTheirSources(): Promise<void> {
  const { page } = portal;
  await go("Virtual machines", "Virtual machines");
  for (const server of servers) {
    const vm = gridRow(page, "Virtual machines", `${server}-Test`);
    await vm.getByRole("cell", { name: "Test migration" }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      vm.getByRole("button", { name: "Download disk0" }).click(),
    ]);
    const source = readFileSync(disk(server));
    const vhd = readFileSync(await download.path());
    expect(sha256(vhd.subarray(0, source.length)), server).toBe(sha256(source));
    expect(vhd.length % MiB).toBe(512); // a fixed VHD: whole MiBs of disk, then the footer
  }
  await blade("plans-07-test-vms");
}

async function cleanUpAndDelete(): Promise<void> {
  const { page } = portal;
  await go("Recovery plans", "Recovery plans");
  await openPlan();
  const dialog = await planOperation("Clean up test migration");
  await dialog.waitFor({ state: "detached" });
  await page.getByText("Recovery plan test migration cleanup: shop (Succeeded)").waitFor(wait);
  for (const [group, server] of [
    ["db", "db01"],
    ["web", "web01"],
  ] as const)
    await gridRow(page, `Servers of ${group}`, server).getByRole("cell", { name: "None", exact: true }).waitFor(wait);
  await blade("plans-08-cleaned-up");
  await go("Virtual machines", "Virtual machines");
  await page.getByText("No VM yet").waitFor(wait);
  await go("Recovery plans", "Recovery plans");
  await gridRow(page, "Recovery plans", "shop").getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete shop" });
  await confirm.getByRole("button", { name: "Delete plan" }).click();
  await page.getByText("No recovery plan yet.").waitFor(wait);
  await blade("plans-09-deleted");
}

describe("recovery plans in the portal, in a real browser", () => {
  it("creates a plan of two groups with a manual check, drills it, resumes the wait, cleans up and deletes it", async () => {
    const project = await setUpProject(ferry.api, "shop-app");
    await Promise.all(servers.map((server) => replicatingSource(project.projectId, project.passphrase, server)));
    await signInAndWatchSeeding("shop-app");
    await createPlan();
    await drillWaitsForTheCheck();
    await refusedMigration();
    await testVmsMatchTheirSources();
    await cleanUpAndDelete();
    // The one refusal the walk provokes is the migration's 409.
    expect(unexpectedProblems(portal, /status of 409/)).toEqual([]);
  }, 120_000);
});

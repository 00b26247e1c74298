// The tutorial walked in a real Chromium against a real host and a real agent: what a person
// sees on each blade is asserted, each blade is checked by axe-core and saved as a screenshot.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { taskNames } from "../../shared/domain/jobTasks";
import { passphraseFile, removeTempDirs, runAgentCli, tempDir } from "../support/agentCli";
import { fastRunEnv, MiB, startAgent, writeSourceImage, type RunningAgent } from "../support/agentRunKit";
import { launchChromium, openPortal, screenshot, type PortalPage } from "../support/browser";
import { startFerry, type RunningFerry } from "../support/ferryApi";
import { sha256 } from "../support/lifecycleKit";
import { checkBlade, goTo, gridRow, unexpectedProblems } from "../support/portalSteps";

const hostname = "web01";
const wait = { timeout: 60_000 };

let ferry: RunningFerry;
let browser: Browser;
let portal: PortalPage;
let agent: RunningAgent | undefined;
const dir = tempDir("ferry-portal-");
const disks = [path.join(dir, "disk0.img"), path.join(dir, "disk1.img")];

beforeAll(async () => {
  [ferry, browser] = await Promise.all([
    startFerry(inject("storageConnectionString"), {
      env: {
        FERRY_CYCLE_INTERVAL_SECONDS: "2",
        FERRY_METRICS_SAMPLE_SECONDS: "1",
        FERRY_FINAL_SYNC_TIMEOUT_SECONDS: "60",
      },
    }),
    launchChromium(),
    writeSourceImage(disks[0]!, 6 * MiB, [[MiB, 3 * MiB]]),
    writeSourceImage(disks[1]!, 2 * MiB),
  ]);
  portal = await openPortal(browser, ferry.host.origin);
});
afterAll(async () => {
  await agent?.kill();
  await browser?.close();
  await ferry?.stop();
  removeTempDirs();
});

const sourceSha = (file: string) => sha256(readFileSync(file));

const row = gridRow;
const blade = (name: string) => checkBlade(portal.page, name);
const go = (link: string, heading: string) => goTo(portal.page, link, heading);

/** Opens a server's action dialog from its grid row, and confirms with the button named as the action. */
async function act(action: string, fill?: (dialog: Locator) => Promise<void>): Promise<Locator> {
  await row(portal.page, "Replicating servers", hostname).getByRole("button", { name: action, exact: true }).click();
  const dialog = portal.page.getByRole("dialog", { name: new RegExp(`^${action}:`) });
  await dialog.waitFor();
  await fill?.(dialog);
  await dialog.getByRole("button", { name: action, exact: true }).click();
  return dialog;
}

async function signInAndSetUp(): Promise<{ projectId: string; passphrase: string }> {
  const { page } = portal;
  await page.getByLabel("Operator key").waitFor();
  await page.getByLabel("Operator key").fill("not-the-operator-key");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").getByText("The operator key is not valid.").waitFor();
  await blade("01-sign-in-refused");
  await page.getByLabel("Operator key").fill(ferry.api.operatorKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Projects" }).waitFor();
  await page.getByLabel("Name").fill("portal-tour");
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("heading", { level: 1, name: "Set-up" }).waitFor();
  const projectId = /projects\/([^/]+)/.exec(page.url())?.[1] ?? "";
  await page.getByRole("button", { name: "Generate registration key" }).click();
  const shown = page.getByRole("status", { name: "Registration key" });
  await shown.waitFor();
  const registrationKey = (await shown.textContent()) ?? "";
  // Registration is the appliance's own call, made with the key the portal showed.
  const appliance = await ferry.api.expect<{ passphrase: string }>(
    ferry.api.post("/appliances", { registrationKey, name: "appliance1" }, { authorization: null }),
    201,
  );
  const applianceRow = row(page, "Appliances", "appliance1");
  await applianceRow.getByRole("button", { name: "Finalize" }).click();
  await applianceRow.getByRole("cell", { name: "Finalized" }).waitFor();
  await blade("02-set-up");
  return { projectId, passphrase: appliance.passphrase };
}

async function registerAgent(passphrase: string): Promise<string> {
  const stateDir = path.join(dir, "agent");
  const registered = await runAgentCli([
    ...["register", "--server", `${ferry.host.origin}/api`, "--passphrase-file", passphraseFile(dir, passphrase)],
    ...["--state-dir", stateDir, "--disk", disks[0]!, "--disk", disks[1]!, "--hostname", hostname],
    ...["--shutdown-command", "true"],
  ]);
  expect(registered.code, registered.stderr).toBe(0);
  return stateDir;
}

async function replicateThroughTheWizard(): Promise<void> {
  const { page } = portal;
  await go("Discovered servers", "Discovered servers");
  await row(page, "Discovered servers", hostname).waitFor();
  await blade("03-discovered-servers");
  await row(page, "Discovered servers", hostname).getByRole("button", { name: "Replicate" }).click();
  await page.getByRole("heading", { level: 1, name: "Replicate" }).waitFor();
  await page.getByRole("button", { name: "Next" }).click(); // source machine: the one chosen
  await page.getByRole("button", { name: "Next" }).click(); // policy: the default one
  await page.getByLabel("Resource group").fill("rg/migrated");
  await page.getByLabel("Virtual network").fill("prod-vnet");
  await expect.poll(() => page.getByLabel("VM size").textContent()).toContain("Closest match: Standard_");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Next" }).click(); // disks: both, the default type
  await page.getByRole("button", { name: "Replicate" }).click();
  // The API refuses the resource group; the wizard goes back to that field and shows why.
  const field = page.getByLabel("Resource group");
  await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
  await expect.poll(() => page.getByText("must be a valid Azure resource group name").count()).toBeGreaterThan(0);
  await blade("04-replicate-wizard-refused");
  await field.fill("rg-migrated");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Next" }).click();
  await blade("05-replicate-wizard-review");
  await page.getByRole("button", { name: "Replicate" }).click();
  await page.getByRole("heading", { level: 1, name: "Replicating servers" }).waitFor();
}

async function watchSeeding(): Promise<void> {
  const server = row(portal.page, "Replicating servers", hostname);
  await expect.poll(() => server.getByRole("progressbar").getAttribute("value"), wait).toBe("100");
  await server.getByRole("cell", { name: "Replicating", exact: true }).waitFor(wait);
  await server.getByText("Normal").waitFor(wait);
  expect(await server.getByRole("button").allTextContents()).toEqual([
    "Test migrate",
    "Migrate",
    "Complete migration",
    "Resync",
    "Pause replication",
  ]);
  await blade("06-replicating-servers");
}

async function serverDetail(): Promise<void> {
  const { page } = portal;
  await row(page, "Replicating servers", hostname).getByRole("link", { name: hostname }).click();
  await page.getByRole("heading", { level: 1, name: hostname }).waitFor();
  const points = page.getByRole("table", { name: "Recovery points" });
  await points.getByRole("button", { name: "Verify" }).first().click();
  await points.getByText("disk0:").waitFor(wait);
  const hashes = await points.locator("code").allTextContents();
  expect(hashes.slice(0, 2)).toEqual(disks.map(sourceSha));
  await expect.poll(() => page.locator("figcaption").textContent(), wait).toMatch(/last [1-9]\d* samples: now RPO/);
  await page.getByRole("heading", { name: "Health history" }).waitFor();
  await blade("07-server-detail");
  await go("Overview", "Overview");
  await page.getByRole("table", { name: "By health" }).getByText("Normal").waitFor(wait);
  await blade("08-overview");
  await go("Replicating servers", "Replicating servers");
}

/** Another operator pauses first: the portal's own Pause is refused, and the dialog shows the API's reason. */
async function refusedPause(projectId: string, itemId: string): Promise<void> {
  const { page } = portal;
  await row(page, "Replicating servers", hostname).getByRole("button", { name: "Pause replication" }).click();
  const dialog = page.getByRole("dialog", { name: /^Pause replication:/ });
  await dialog.waitFor();
  const elsewhere = await ferry.api.post<{ job: { id: string } }>(
    `/projects/${projectId}/replicating-servers/${itemId}/pause`,
  );
  expect(elsewhere.status).toBe(202);
  await dialog.getByRole("button", { name: "Pause replication", exact: true }).click();
  const alert = dialog.getByRole("alert");
  await alert.waitFor();
  expect(await alert.textContent()).toMatch(
    /^Pause replication was refused: .+(OperationInProgress|OperationNotAllowed)$/,
  );
  await blade("09-refused-action");
  await dialog.getByRole("button", { name: "Close" }).click();
  const server = row(page, "Replicating servers", hostname);
  await server.getByRole("cell", { name: "Replicating (paused)" }).waitFor(wait);
  await act("Resume replication");
  await server.getByRole("cell", { name: "Replicating", exact: true }).waitFor(wait);
}

async function testMigration(): Promise<void> {
  const { page } = portal;
  const dialog = await act("Test migrate", async (d) => {
    expect(await d.getByLabel("Recovery point").inputValue()).toBe("LatestProcessed");
    await d.getByLabel("Network").fill("-not a network");
  });
  // The API refuses the network name: its words appear on the Network field, and nothing started.
  await expect.poll(() => dialog.getByLabel("Network").getAttribute("aria-invalid")).toBe("true");
  await blade("10-test-migrate-refused");
  await dialog.getByLabel("Network").fill("test-vnet");
  await dialog.getByRole("button", { name: "Test migrate", exact: true }).click();
  await dialog.waitFor({ state: "detached" });
  const server = row(page, "Replicating servers", hostname);
  await server.getByRole("cell", { name: "Test migration succeeded" }).waitFor(wait);
  await page.getByRole("region", { name: "Notifications" }).getByText("Test migration succeeded").waitFor(wait);
  await go("Jobs", "Jobs");
  const job = row(page, "Jobs", "Test migration");
  await job.getByRole("cell", { name: "Succeeded" }).waitFor();
  await blade("11-jobs");
  await job.getByRole("link", { name: "Test migration" }).click();
  await page.getByRole("heading", { level: 1, name: "Job: Test migration" }).waitFor();
  for (const task of taskNames.testMigrate)
    await row(page, "Tasks", task).getByRole("cell", { name: "Succeeded" }).waitFor();
  await blade("12-job-detail");
}

async function testVm(): Promise<void> {
  const { page } = portal;
  await go("Virtual machines", "Virtual machines");
  const vm = row(page, "Virtual machines", `${hostname}-Test`);
  await vm.getByRole("cell", { name: "Test migration" }).waitFor();
  await blade("13-virtual-machines");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    vm.getByRole("button", { name: "Download disk0" }).click(),
  ]);
  const vhd = readFileSync(await download.path());
  const size = readFileSync(disks[0]!).length;
  expect(sha256(vhd.subarray(0, size))).toBe(sourceSha(disks[0]!));
  expect(vhd.length % MiB).toBe(512); // a fixed VHD: whole MiBs of disk, then the footer
}

/** A project Reader's view, in a tab of its own: everything to read, a disk to download, nothing to act on. */
async function readerView(projectId: string): Promise<void> {
  const created = await ferry.api.expect<{ key: string }>(
    ferry.api.post(`/projects/${projectId}/operator-keys`, { name: "auditor", role: "Reader" }),
    201,
  );
  // A tab of its own: the key is kept in the tab's session storage, so the two sign-ins stay apart.
  const page = await portal.context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  try {
    await page.goto(ferry.host.origin);
    await page.getByLabel("Operator key").fill(created.key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Projects" }).waitFor();
    await page.getByRole("banner").getByText("Reader", { exact: true }).waitFor();
    const projects = page.getByRole("table", { name: "Projects" });
    await projects.getByRole("link", { name: "portal-tour" }).waitFor();
    expect(await projects.getByRole("row").count()).toBe(2); // the header and its one project
    expect(await page.getByRole("button", { name: "Create project" }).count()).toBe(0);
    await projects.getByRole("link", { name: "portal-tour" }).click();
    await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Set-up" }).click();
    await page.getByRole("heading", { level: 2, name: "Registration key" }).waitFor();
    expect(await page.getByRole("button", { name: "Generate registration key" }).count()).toBe(0);
    await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Replicating servers" }).click();
    const server = row(page, "Replicating servers", hostname);
    await server.getByRole("cell", { name: "Test migration succeeded" }).waitFor(wait);
    expect(await server.getByRole("button").count()).toBe(0);
    const grid = page.getByRole("table", { name: "Replicating servers" });
    expect(await grid.getByRole("columnheader", { name: "Actions" }).count()).toBe(0);
    await screenshot(page, "13b-reader-view");
    await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Virtual machines" }).click();
    const vm = row(page, "Virtual machines", `${hostname}-Test`);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      vm.getByRole("button", { name: "Download disk1" }).click(),
    ]);
    const vhd = readFileSync(await download.path());
    expect(sha256(vhd.subarray(0, readFileSync(disks[1]!).length))).toBe(sourceSha(disks[1]!));
    expect(problems).toEqual([]);
  } finally {
    await page.close();
  }
}

async function cleanUpMigrateComplete(): Promise<void> {
  const { page } = portal;
  await go("Replicating servers", "Replicating servers");
  const server = row(page, "Replicating servers", hostname);
  await act("Clean up test migration");
  await server.getByRole("cell", { name: "None" }).waitFor(wait);
  const migrate = await act("Migrate", async (d) => {
    expect(await d.getByLabel("Shut down source").isChecked()).toBe(true);
  });
  await migrate.waitFor({ state: "detached" });
  await server.getByRole("cell", { name: "Migration succeeded" }).waitFor(wait);
  await blade("14-migrated");
  await go("Virtual machines", "Virtual machines");
  await row(page, "Virtual machines", hostname).getByRole("cell", { name: "Migration" }).waitFor();
  expect(await page.getByRole("table", { name: "Virtual machines" }).getByRole("row").count()).toBe(2);
  await go("Replicating servers", "Replicating servers");
  await act("Complete migration");
  await page.getByText("No server replicates yet").waitFor(wait);
  await go("Jobs", "Jobs");
  await row(page, "Jobs", "Complete migration").getByRole("cell", { name: "Succeeded" }).waitFor(wait);
  await blade("15-completed");
}

describe("the portal in a real browser", () => {
  it("walks the tutorial: sign in, set up, replicate through the wizard, test migrate, clean up, migrate, complete", async () => {
    const { projectId, passphrase } = await signInAndSetUp();
    const stateDir = await registerAgent(passphrase);
    await replicateThroughTheWizard();
    agent = startAgent(stateDir, fastRunEnv);
    await watchSeeding();
    const items = await ferry.api.expect<{ value: { id: string }[] }>(
      ferry.api.get(`/projects/${projectId}/replicating-servers`),
      200,
    );
    await serverDetail();
    await refusedPause(projectId, items.value[0]!.id);
    await testMigration();
    await testVm();
    await readerView(projectId);
    await cleanUpMigrateComplete();
    // The refusals the walk provokes are answered 401, 400 and 409.
    expect(unexpectedProblems(portal, /status of 40[019]/)).toEqual([]);
  }, 180_000);
});

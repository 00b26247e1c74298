// What a portal walk does on every blade: find a grid's row by name, move through the project's
// navigation, and leave each blade checked by axe-core and saved as a screenshot.
import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { screenshot, seriousViolations, type PortalPage } from "./browser";

/** A grid's row for one thing, found by its first cell: the thing's name. */
export const gridRow = (page: Page, table: string, name: string): Locator =>
  page
    .getByRole("table", { name: table })
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name, exact: true }) });

/** A blade as a person leaves it: no serious accessibility problem, and a screenshot to look at. */
export async function checkBlade(page: Page, name: string): Promise<void> {
  await page.waitForLoadState("networkidle").catch(() => undefined);
  expect(await seriousViolations(page), name).toEqual([]);
  await screenshot(page, name);
}

/** Follows a link of the project's navigation to the blade with this heading. */
export async function goTo(page: Page, link: string, heading: string): Promise<void> {
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: link }).click();
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
}

/** What the browser reported that a person never should see: script errors and CSP refusals. */
export function unexpectedProblems(portal: PortalPage, allowedStatuses: RegExp): string[] {
  // Chrome logs every answer of 4xx as a failed resource; the refusals a walk provokes are expected.
  return portal.problems.filter(
    (p) => !(/Failed to load resource: the server responded with a status of/.test(p) && allowedStatuses.test(p)),
  );
}

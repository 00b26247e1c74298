import { routes, type FerryClient, type Job } from "../../client";

export const planOperationKeys = ["testMigrate", "testMigrateCleanup", "migrate", "complete"] as const;
export type PlanOperationKey = (typeof planOperationKeys)[number];

/** The plan's operations as operators see them: the names of the servers' own. */
export const planOperationNames: Readonly<Record<PlanOperationKey, string>> = {
  testMigrate: "Test migrate",
  testMigrateCleanup: "Clean up test migration",
  migrate: "Migrate",
  complete: "Complete migration",
};

export const planOperationHelp: Readonly<Record<PlanOperationKey, string>> = {
  testMigrate: "Creates each server's -Test VM in the network you choose, group by group, with the plan's actions.",
  testMigrateCleanup: "Deletes the test VMs, last group first.",
  migrate: "Fails every server over to Azure, group by group, with the plan's actions.",
  complete: "Stops replication of every server in the plan. Created VMs stay.",
};

/** What a plan operation's dialog collected (only its own fields are read). */
export interface PlanChoices {
  network: string;
  subnet: string;
  shutdownSource: boolean;
  /** A `datetime-local` value in the browser's time zone; empty: start now. */
  startAt: string;
  maxDowntimeSeconds: string;
}

export const defaultPlanChoices: PlanChoices = {
  network: "",
  subnet: "",
  shutdownSource: true,
  startAt: "",
  maxDowntimeSeconds: "",
};

/** A local time as the API's UTC time; what is not a time goes as typed, for the API to name. */
function utc(local: string): string {
  const time = new Date(local);
  return Number.isNaN(time.getTime()) ? local : time.toISOString();
}

function migrateBody(choices: PlanChoices) {
  return {
    shutdownSource: choices.shutdownSource,
    ...(choices.startAt ? { startAt: utc(choices.startAt) } : {}),
    ...(choices.maxDowntimeSeconds ? { maxDowntimeSeconds: Number(choices.maxDowntimeSeconds) } : {}),
  };
}

/** Starts a plan operation; a refusal is a FerryApiError naming the items that block it (`items`). */
export async function startPlanOperation(
  client: FerryClient,
  ids: { projectId: string; planId: string },
  operation: PlanOperationKey,
  choices: PlanChoices,
): Promise<Job> {
  const params = ids;
  const started = await (() => {
    switch (operation) {
      case "testMigrate":
        return client.call(routes.testMigratePlan, {
          params,
          body: { network: choices.network, ...(choices.subnet ? { subnet: choices.subnet } : {}) },
        });
      case "testMigrateCleanup":
        return client.call(routes.testMigrateCleanupPlan, { params });
      case "migrate":
        return client.call(routes.migratePlan, { params, body: migrateBody(choices) });
      case "complete":
        return client.call(routes.completePlan, { params });
    }
  })();
  return started.job;
}

import { routes, type Job, type ProjectClient } from "../../../client";
import type { ItemOperation } from "../../../shared/domain/itemState";

/** What an operation's dialog collected (only the fields that operation asks for are read). */
export interface OperationChoices {
  network: string;
  subnet: string;
  /** "" leaves the choice to the API's default. */
  recoveryPoint: string;
  shutdownSource: boolean;
}

const optional = <K extends string>(key: K, value: string) =>
  value === "" ? {} : ({ [key]: value } as Record<K, string>);

/** Starts the operation through its route; the API answers 202 with the job, or refuses with its reason. */
export async function startOperation(
  project: ProjectClient,
  itemId: string,
  operation: ItemOperation,
  choices: OperationChoices,
): Promise<Job> {
  const params = { itemId };
  const started = await (() => {
    switch (operation) {
      case "TestMigrate":
        return project.call(routes.testMigrate, {
          params,
          body: {
            network: choices.network,
            ...optional("subnet", choices.subnet),
            ...optional("recoveryPoint", choices.recoveryPoint),
          },
        });
      case "Migrate":
        return project.call(routes.migrate, {
          params,
          body: { shutdownSource: choices.shutdownSource, ...optional("recoveryPoint", choices.recoveryPoint) },
        });
      case "TestMigrateCleanup":
        return project.call(routes.testMigrateCleanup, { params });
      case "DisableMigration":
        return project.call(routes.completeMigration, { params });
      case "StartResync":
        return project.call(routes.resync, { params });
      case "PauseReplication":
        return project.call(routes.pauseReplication, { params });
      case "ResumeReplication":
        return project.call(routes.resumeReplication, { params });
    }
  })();
  return started.job;
}
